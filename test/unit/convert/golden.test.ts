// Golden tests of the converters: each input under test/fixtures/convert/ converts to exactly the
// plan (and hooks module) stored under its folder's expected/, with the exit code the report
// implies, and the plan passes `loadr validate`. Regenerate after an intended change with
// UPDATE_GOLDEN=1 (then read the diff: the goldens are the specification).
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadPlanFile } from "../../../src/config/load.ts";
import { BUILTINS } from "../../../src/builtins.ts";
import { CONVERT_FIXTURES, convertFixture } from "../../helpers/convert.ts";

interface GoldenCase {
  kind: string;
  folder: string;
  input: string;
  /** The expected plan's file name under <folder>/expected/ (its hooks: <base>.hooks.js). */
  golden: string;
  args?: string[];
  exit: number;
}

const CASES: GoldenCase[] = [
  { kind: "k6", folder: "k6", input: "basic.js", golden: "basic.yaml", exit: 0 },
  { kind: "k6", folder: "k6", input: "scenarios.js", golden: "scenarios.yaml", exit: 0 },
  { kind: "k6", folder: "k6", input: "hooks.js", golden: "hooks.yaml", exit: 0 },
  { kind: "k6", folder: "k6", input: "mappings.js", golden: "mappings.yaml", exit: 0 },
  { kind: "k6", folder: "k6", input: "grpc.js", golden: "grpc.yaml", exit: 0 },
  { kind: "k6", folder: "k6", input: "unmapped.js", golden: "unmapped.yaml", exit: 2 },
  { kind: "har", folder: "har", input: "shop.har", golden: "shop.yaml", args: ["--exclude", "\\.(png|css|js)$"], exit: 0 },
  { kind: "har", folder: "har", input: "shop.har", golden: "shop-only-host.yaml", args: ["--only-host", "shop.example", "--no-sleep"], exit: 0 },
];

const update = process.env.UPDATE_GOLDEN === "1";

function compare(actualPath: string, goldenPath: string): void {
  const actual = existsSync(actualPath) ? readFileSync(actualPath, "utf8") : undefined;
  if (update) {
    mkdirSync(join(goldenPath, ".."), { recursive: true });
    if (actual !== undefined) writeFileSync(goldenPath, actual);
    return;
  }
  const expected = existsSync(goldenPath) ? readFileSync(goldenPath, "utf8") : undefined;
  expect(actual).toBe(expected);
}

describe("converters against their golden plans", () => {
  for (const c of CASES) {
    test(`${c.kind} ${c.input} ${(c.args ?? []).join(" ")} → ${c.golden} (exit ${c.exit}), valid`, async () => {
      const converted = convertFixture(c.kind, c.folder, c.input, c.golden, c.args);
      try {
        expect(converted.code).toBe(c.exit);
        const base = c.golden.replace(/\.yaml$/, "");
        compare(converted.planPath, join(CONVERT_FIXTURES, c.folder, "expected", c.golden));
        compare(join(converted.dir, `${base}.hooks.js`), join(CONVERT_FIXTURES, c.folder, "expected", `${base}.hooks.js`));
        const loaded = await loadPlanFile(converted.planPath, { BASE_URL: "http://127.0.0.1:1" }, { mode: "validate", modules: BUILTINS });
        if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join("\n"));
        expect(loaded.ok).toBe(true);
      } finally {
        converted.cleanup();
      }
    });
  }
});
