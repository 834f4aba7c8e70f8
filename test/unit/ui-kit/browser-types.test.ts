// Browser code (src/**/browser/) is excluded from tsconfig.json (it needs the DOM, the Bun
// program must not see it); this runs its own strict check, tsconfig.browser.json.
import { expect, test } from "bun:test";
import { join } from "node:path";

const root = join(import.meta.dir, "../../..");

test("the browser code type-checks against the DOM (tsc -p tsconfig.browser.json)", () => {
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  const result = Bun.spawnSync([process.execPath, tsc, "--noEmit", "-p", "tsconfig.browser.json"], { cwd: root, stdout: "pipe", stderr: "pipe" });
  expect(`${result.stdout.toString()}${result.stderr.toString()}`.trim()).toBe("");
  expect(result.exitCode).toBe(0);
}, 120_000);
