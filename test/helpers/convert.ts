// Runs `loadr convert` in-process on a fixture under test/fixtures/convert/, writing into a fresh
// temporary directory, for the converter tests. The fixture is named relative to its folder (the
// command runs there), so positions in reports read "basic.js:12:3".
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryIO } from "../../src/cli/io.ts";
import { convertFile } from "../../src/cli/commands/convert.ts";

export const CONVERT_FIXTURES = join(import.meta.dir, "..", "fixtures", "convert");

export interface Converted {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly dir: string;
  readonly planPath: string;
  cleanup(): void;
}

/** `loadr convert KIND INPUT -o <tmp>/<out> ...args`, with INPUT relative to test/fixtures/convert/<folder>. */
export function convertFixture(kind: string, folder: string, input: string, out: string, args: readonly string[] = []): Converted {
  const dir = mkdtempSync(join(tmpdir(), "loadr-convert-"));
  const planPath = join(dir, out);
  const { io, stdout, stderr } = memoryIO({}, join(CONVERT_FIXTURES, folder));
  let code: number;
  try {
    code = convertFile({ kind, input, output: planPath, rawArgs: [kind, input, "-o", planPath, ...args] }, io);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { code, stdout: stdout(), stderr: stderr(), dir, planPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
