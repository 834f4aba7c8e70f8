// Data files that travel inside an Assignment: path sanitization and size limits, applied by the
// client before submitting, by the controller at submission and again by the agent before writing
// (deploy/README.md, "The `cluster:` block").
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** Per file and per run; the controller's gRPC send limit (rpc.ts) sits above the total. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
export const MAX_FILES = 1_000;
/** A path longer than this is refused (file systems allow 4096; plans never need that much). */
const MAX_PATH_LENGTH = 1_024;

/** `path`: the file's path is wrong; `size`: a limit is passed; `collision`: two names clash. */
type DataFileProblem = "path" | "size" | "collision";

export class DataFileError extends Error {
  constructor(
    message: string,
    readonly problem: DataFileProblem = "path",
  ) {
    super(message);
    this.name = "DataFileError";
  }
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Returns the normalized relative path ("a/b.csv"), or throws DataFileError for anything
 * absolute, containing a `..` segment, empty, too long, or with control characters.
 */
export function sanitizeDataPath(path: string): string {
  if (typeof path !== "string" || path.trim() === "") throw new DataFileError("a data file has an empty path");
  if (path.length > MAX_PATH_LENGTH) throw new DataFileError(`a data file path is ${path.length} characters long; at most ${MAX_PATH_LENGTH} are allowed`);
  if (/[\u0000-\u001f]/.test(path)) throw new DataFileError(`data file path ${JSON.stringify(path)} contains control characters`);
  if (path.startsWith("/") || path.startsWith("\\") || /^[A-Za-z]:/.test(path)) {
    throw new DataFileError(`data file path "${path}" is absolute: paths must be relative to the plan's directory`);
  }
  const segments = path.split(/[\\/]+/);
  if (segments.includes("..")) {
    throw new DataFileError(`data file path "${path}" contains "..": files must sit in the plan's directory or below it`);
  }
  const clean = segments.filter((s) => s !== "" && s !== ".");
  if (clean.length === 0) throw new DataFileError(`data file path "${path}" names no file`);
  return clean.join("/");
}

/** The message for a file over the per-file limit (also used before decoding a submission's base64). */
export function fileTooBig(path: string, bytes: number): DataFileError {
  return new DataFileError(
    `data file "${path}" is ${mb(bytes)}; files shipped with a run may be at most ${mb(MAX_FILE_BYTES)} each (put large corpora on the agents' disks)`,
    "size",
  );
}

export function filesTooBig(total: number): DataFileError {
  return new DataFileError(`the plan's data files total ${mb(total)}; a run may ship at most ${mb(MAX_TOTAL_BYTES)} (put large corpora on the agents' disks)`, "size");
}

export function tooManyFiles(count: number): DataFileError {
  return new DataFileError(`the plan ships ${count} data files; at most ${MAX_FILES} are allowed`, "size");
}

/**
 * Checks every path, the size limits and that no two names clash (the same file twice, or a
 * file that is also another one's directory); returns the files keyed by normalized path.
 */
export function checkDataFiles(files: Record<string, Uint8Array>): Record<string, Uint8Array> {
  const entries = Object.entries(files);
  if (entries.length > MAX_FILES) throw tooManyFiles(entries.length);
  const out: Record<string, Uint8Array> = Object.create(null) as Record<string, Uint8Array>;
  const given = new Map<string, string>();
  let total = 0;
  for (const [path, bytes] of entries) {
    const clean = sanitizeDataPath(path);
    const twin = given.get(clean);
    if (twin !== undefined) throw new DataFileError(`data files "${twin}" and "${path}" name the same file`, "collision");
    given.set(clean, path);
    if (bytes.byteLength > MAX_FILE_BYTES) throw fileTooBig(path, bytes.byteLength);
    total += bytes.byteLength;
    out[clean] = bytes;
  }
  if (total > MAX_TOTAL_BYTES) throw filesTooBig(total);
  for (const clean of given.keys()) {
    const segments = clean.split("/");
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join("/");
      const file = given.get(dir);
      if (file !== undefined) throw new DataFileError(`data file "${file}" is also the directory of "${given.get(clean)}"`, "collision");
    }
  }
  return { ...out };
}

/** Writes checked files under `dir` (created). Each target is verified to stay inside `dir`. */
export function materializeFiles(dir: string, files: Record<string, Uint8Array>): void {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  for (const [path, bytes] of Object.entries(checkDataFiles(files))) {
    const target = resolve(join(root, path));
    const rel = relative(root, target);
    if (rel.startsWith("..") || rel.includes(`..${sep}`) || resolve(root, rel) !== target) {
      throw new DataFileError(`data file path "${path}" resolves outside the run's directory`);
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
}
