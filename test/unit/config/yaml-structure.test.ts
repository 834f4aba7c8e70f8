import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadIssues } from "./helpers.ts";
import { loadPlanFile } from "../../../src/config/load.ts";
import { BUILTINS } from "../../../src/builtins.ts";
import { MAX_PLAN_BYTES, MAX_PLAN_DEPTH } from "../../../src/config/yaml-structure.ts";

const scenarios = "scenarios:\n  s:\n    executor: shared-iterations\n    flow:\n      - sleep: 1ms\n";

describe("plan structure limits", () => {
  test("every duplicate key is reported at its own line, naming the first", () => {
    const issues = loadIssues(`name: a\nname: b\ndefaults:\n  timeout: 1s\n  timeout: 2s\n${scenarios}`);
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [2, 'duplicate key "name" (first at line 1): keys must be unique in a map'],
      [5, 'duplicate key "timeout" (first at line 4): keys must be unique in a map'],
    ]);
  });

  test("a map with tens of thousands of keys is checked for duplicates (one found at the end)", () => {
    let text = "defaults:\n  headers:\n";
    for (let i = 0; i < 30_000; i++) text += `    h${i}: v\n`;
    text += "    h7: again\n";
    const issues = loadIssues(text + scenarios);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toBe('duplicate key "h7" (first at line 10): keys must be unique in a map');
    expect(issues[0]!.line).toBe(30_003);
  });

  test("a plan past the size limit is refused before parsing, with what to do", () => {
    const issues = loadIssues(`name: "${"x".repeat(MAX_PLAN_BYTES)}"\n${scenarios}`);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain("plans are limited to 4 MiB");
    expect(issues[0]!.hint).toContain("CSV");
  });

  test("nesting deeper than the limit is an error at the line where it crosses", () => {
    let flow = "";
    let indent = "      ";
    for (let i = 0; i < MAX_PLAN_DEPTH; i++) {
      flow += `${indent}- group: g${i}\n${indent}  steps:\n`;
      indent += "    ";
    }
    flow += `${indent}- sleep: 1ms\n`;
    const issues = loadIssues(`scenarios:\n  s:\n    executor: shared-iterations\n    flow:\n${flow}`);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toBe(`the plan nests deeper than ${MAX_PLAN_DEPTH} levels`);
    expect(issues[0]!.line).toBeGreaterThan(40);
  });

  test("a plan file is read only up to the limit (a device that never ends is refused)", async () => {
    const result = await loadPlanFile("/dev/zero", {}, { modules: BUILTINS });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.message).toContain("plans are limited to 4 MiB");
    const dir = mkdtempSync(join(tmpdir(), "loadr-structure-"));
    try {
      const path = join(dir, "plan.yaml");
      writeFileSync(path, `baseUrl: http://127.0.0.1:1\n${scenarios}`);
      expect((await loadPlanFile(path, {}, { modules: BUILTINS })).ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
