// The report's command lines: `loadr report` is strict like every command, and `loadr run`'s
// --report / --summary-junit / --summary-markdown are refused before the run when their
// directory does not exist.
import { describe, expect, test } from "bun:test";
import type { ArgsDef } from "citty";
import { main } from "../../../src/cli/index.ts";
import { checkArgs } from "../../../src/cli/strict-args.ts";
import reportCommand from "../../../src/cli/commands/report.ts";
import runCommand from "../../../src/cli/commands/run.ts";

const defs = (c: { args?: unknown }) => c.args as ArgsDef;

describe("loadr report flags", () => {
  test("an unknown flag, a flag without its value, a second source are refused", () => {
    expect(() => checkArgs("report", defs(reportCommand), ["results.jsonl", "--outptu", "x.html"])).toThrow("unknown flag --outptu for `loadr report` (did you mean --output?)");
    expect(() => checkArgs("report", defs(reportCommand), ["results.jsonl", "-o"])).toThrow("flag -o of `loadr report` needs a value");
    expect(() => checkArgs("report", defs(reportCommand), ["a.jsonl", "b.jsonl"])).toThrow("`loadr report` takes one argument");
    expect(() => checkArgs("report", defs(reportCommand), ["r-1", "--controller", "http://127.0.0.1:1", "--api-token", "t", "-o", "x.html"])).not.toThrow();
  });

  test("loadr run knows the report flags", () => {
    expect(() => checkArgs("run", defs(runCommand), ["plan.yaml", "--report", "r.html", "--summary-junit", "j.xml", "--summary-markdown", "s.md"])).not.toThrow();
    expect(() => checkArgs("run", defs(runCommand), ["plan.yaml", "--reprot", "r.html"])).toThrow("did you mean --report?");
  });

  test("exit 104 before anything runs: a report file in a missing directory, a source that is neither a run id nor a JSONL file", async () => {
    expect(await main(["run", "no-such-plan.yaml", "--report", "/nonexistent-dir/r.html"])).toBe(104);
    expect(await main(["run", "no-such-plan.yaml", "--summary-junit", "/nonexistent-dir/j.xml"])).toBe(104);
    expect(await main(["report", "results.csv"])).toBe(104);
    expect(await main(["report", "missing.jsonl"])).toBe(104);
    expect(await main(["report", "../etc/passwd", "--controller", "http://127.0.0.1:1"])).toBe(104);
  });
});
