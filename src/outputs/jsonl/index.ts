// `--out jsonl=FILE`: every series of every interval as a JSON line (outputs/jsonl/lines.ts),
// from the run loop's snapshots; no aggregation of its own. A file format over the shared file
// output (outputs/file-output.ts: truncate at start, gzip for `.gz`, buffered flushes, the final
// interval before close, the `tags` option and `run_id`).
import { FileOutput, fileOutputModule, type FileFormat, type FileOutputOptions } from "../file-output.ts";
import { metricLine, pointLine } from "./lines.ts";

/** A `Metric` line the first time a metric appears, then one `Point` line per series. */
export function jsonlFormat(): FileFormat {
  const seen = new Set<string>();
  return {
    write(points, interval, out) {
      for (const point of points) {
        if (!seen.has(point.name)) {
          seen.add(point.name);
          out(metricLine(point));
        }
        out(pointLine(point, interval));
      }
    },
  };
}

export class JsonlOutput extends FileOutput {
  constructor(options: Omit<FileOutputOptions, "name" | "format">) {
    super({ ...options, name: "jsonl", format: jsonlFormat() });
  }
}

export const jsonlOutput = fileOutputModule("jsonl", "jsonl=FILE  one JSON line per series per second (k6's JSON output; gzip for .gz)", jsonlFormat);
