// `--out csv=FILE`: k6's CSV columns (outputs/csv/rows.ts), one row per series per interval, from
// the run loop's snapshots, the header first. A file format over the shared file output
// (outputs/file-output.ts: truncate at start, gzip for `.gz`, buffered flushes, the final
// interval before close, the `tags` option and `run_id`).
import { fileOutputModule, type FileFormat } from "../file-output.ts";
import { CSV_HEADER, csvRow } from "./rows.ts";

export function csvFormat(): FileFormat {
  return {
    header: CSV_HEADER,
    write(points, interval, out) {
      for (const point of points) out(csvRow(point, interval.endUnixMs));
    },
  };
}

export const csvOutput = fileOutputModule("csv", "csv=FILE  one row per series per second in k6's CSV columns (gzip for .gz)", csvFormat);
