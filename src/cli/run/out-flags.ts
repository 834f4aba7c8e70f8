// `--out NAME=ARGUMENT` / `-o` (repeatable), shared by `loadr run` and `loadr controller`.
import { repeatedFlag } from "./repeated-flag.ts";

/** Every `--out`/`-o` value ("" for a flag without one: outputs/from-flags.ts says what is missing). */
export function outFlags(rawArgs: readonly string[]): string[] {
  return repeatedFlag(rawArgs, ["--out", "-o"]).map((value) => (value === undefined || value.startsWith("-") ? "" : value));
}
