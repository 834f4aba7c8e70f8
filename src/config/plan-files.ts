// How the plan loader reads the data files a plan names (CSV feeds, CA certificates): every
// read goes through a `PlanFiles`, so where files come from is the caller's decision.
// - `diskFiles`: a local run reads the plan's directory (absolute paths allowed: the user's own
//   machine), regular files only, each at most `maxBytes` (`--max-data-size`).
// - `shippedFiles`: a controller resolves a submitted plan's files ONLY against the files shipped
//   with it, in memory; the path checks happen before any lookup and nothing touches its disk.
// Messages never echo a file's contents.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { isAbsolute, join, normalize } from "node:path";

/** Default cap on one data file: generous for real feeds, bounded for a mistaken path. */
export const DEFAULT_MAX_DATA_BYTES = 256 * 1024 * 1024;

export type FileRead = { ok: true; text: string } | { ok: false; message: string; hint: string };

export interface PlanFiles {
  /** Where `path` (as written in the plan) is, for messages. */
  describe(path: string): string;
  /** The UTF-8 text of `path`, or why it cannot be read. `what` names it in messages ("CSV file"). */
  readText(path: string, what: string): FileRead;
  /** Why `path` could not be read later (missing, not a file, too big), without reading it; undefined when it can. */
  check(path: string, what: string): FileProblem | undefined;
}

export interface FileProblem {
  message: string;
  hint: string;
}

const mib = (bytes: number) => {
  const value = bytes / 1024 / 1024;
  return `${Number.isInteger(value) ? value : value.toFixed(value < 1 ? 2 : 1)} MiB`;
};

export function diskFiles(baseDir: string, maxBytes: number = DEFAULT_MAX_DATA_BYTES): PlanFiles {
  const where = (path: string) => (isAbsolute(path) ? path : join(baseDir, path));
  return {
    describe: where,
    check(path, what) {
      const stat = statFile(where(path), what, maxBytes);
      return "problem" in stat ? stat.problem : undefined;
    },
    readText(path, what) {
      const file = where(path);
      const stat = statFile(file, what, maxBytes);
      if ("problem" in stat) return { ok: false, ...stat.problem };
      try {
        return { ok: true, text: readAtMost(file, maxBytes + 1, maxBytes) };
      } catch (error) {
        if (error instanceof TooBig) return { ok: false, ...tooBig(what, file, error.size, maxBytes) };
        return { ok: false, message: `cannot read ${what} ${file}: ${(error as Error).message}`, hint: DISK_HINT };
      }
    },
  };
}

const DISK_HINT = "paths are relative to the plan's directory; create the file or fix the path";

function statFile(file: string, what: string, maxBytes: number): { size: number } | { problem: FileProblem } {
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return { problem: { message: `${what} path is a directory: ${file}`, hint: DISK_HINT } };
    if (!stat.isFile()) return { problem: { message: `${what} ${file} is not a regular file (a device, pipe or socket)`, hint: DISK_HINT } };
    if (stat.size > maxBytes) return { problem: tooBig(what, file, stat.size, maxBytes) };
    return { size: stat.size };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { problem: { message: `${what} not found: ${file}`, hint: DISK_HINT } };
    return { problem: { message: `cannot read ${what} ${file}: ${(error as Error).message}`, hint: DISK_HINT } };
  }
}

/**
 * Files shipped with a submitted plan, by plan-relative path. Absolute paths and paths that
 * leave the plan's directory are refused before any lookup.
 */
export function shippedFiles(files: ReadonlyMap<string, Uint8Array>, maxBytes: number = DEFAULT_MAX_DATA_BYTES): PlanFiles {
  const hint = "ship the file with the plan (loadr run --controller sends the files the plan names)";
  return {
    describe: (path) => `${path} (shipped with the plan)`,
    check(path, what) {
      const problem = shippedPathProblem(path);
      if (problem) return { message: `${what} ${JSON.stringify(path)}: ${problem}`, hint: "use a path relative to the plan, inside its directory" };
      const bytes = files.get(normalize(path));
      if (bytes === undefined) return { message: `${what} ${path} was not shipped with the plan`, hint };
      if (bytes.byteLength > maxBytes) return tooBig(what, path, bytes.byteLength, maxBytes);
      return undefined;
    },
    readText(path, what) {
      const problem = this.check(path, what);
      if (problem) return { ok: false, ...problem };
      return { ok: true, text: new TextDecoder().decode(files.get(normalize(path))!) };
    },
  };
}

/** Why `path` cannot name a shipped file, or undefined when it can. */
export function shippedPathProblem(path: string): string | undefined {
  if (path === "" || path.includes("\0")) return "is not a file path";
  if (isAbsolute(path) || /^[a-zA-Z]:[\\/]/.test(path)) return "is absolute; a submitted plan may name only files shipped with it";
  const normalized = normalize(path);
  if (normalized === ".." || normalized.startsWith("../") || normalized.startsWith("..\\")) return "leaves the plan's directory";
  return undefined;
}

class TooBig extends Error {
  constructor(readonly size: number) {
    super("too big");
  }
}

function tooBig(what: string, file: string, size: number, maxBytes: number): FileProblem {
  return {
    message: `${what} ${file} is ${mib(size)}; data files are limited to ${mib(maxBytes)}`,
    hint: "raise the limit with --max-data-size, or use a smaller file",
  };
}

/** Reads at most `limit` bytes (a file that grows while read is cut off and reported as too big). */
function readAtMost(file: string, limit: number, maxBytes: number): string {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(Math.min(limit, 1024 * 1024));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new TooBig(total);
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
    return Buffer.concat(chunks, total).toString("utf8");
  } finally {
    closeSync(fd);
  }
}
