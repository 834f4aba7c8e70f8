// `--max-data-size SIZE`: the cap on one data file a plan reads from disk (CSV feeds, bodies,
// CA files, protos), for `loadr run` and `loadr validate`. SIZE is bytes or a number with a unit:
// KB/MB/GB (powers of 1000) or KiB/MiB/GiB (powers of 1024), case-insensitive.
import { ConfigError } from "../../shared/errors.ts";

const UNITS: Record<string, number> = { "": 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };
/** Past this a single data file would not fit in a JS string anyway. */
const MAX_BYTES = 1024 ** 3;

export function parseDataSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new ConfigError(`--max-data-size: "${text}" is not a size`, "write bytes or a number with KB, MB, GB, KiB, MiB or GiB, e.g. --max-data-size 512MiB");
  }
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1 || bytes > MAX_BYTES) throw new ConfigError(`--max-data-size: ${text} is outside 1 byte to 1 GiB`, "data files larger than 1 GiB cannot be loaded; split the file");
  return bytes;
}
