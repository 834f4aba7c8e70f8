import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPlan } from "../../../src/config/load.ts";
import { BUILTINS } from "../../../src/builtins.ts";
import { diskFiles, shippedFiles, shippedPathProblem } from "../../../src/config/plan-files.ts";

const plan = (csv: string) =>
  `baseUrl: http://127.0.0.1:1\ndata:\n  users: { csv: ${JSON.stringify(csv)} }\nscenarios:\n  s:\n    executor: shared-iterations\n    flow:\n      - request: { url: "/\${data.users.name}" }\n`;

describe("data files on disk", () => {
  test("a device is refused without reading it (no memory spent on /dev/zero)", () => {
    const read = diskFiles("/").readText("/dev/zero", "CSV file");
    expect(read).toEqual({ ok: false, message: "CSV file /dev/zero is not a regular file (a device, pipe or socket)", hint: expect.any(String) });
  });

  test("a file over the cap is refused with the limit and the flag that raises it", () => {
    const dir = mkdtempSync(join(tmpdir(), "loadr-files-"));
    try {
      writeFileSync(join(dir, "big.csv"), "name\n" + "x\n".repeat(600_000));
      const read = diskFiles(dir, 1024 * 1024).readText("big.csv", "CSV file");
      expect(read.ok).toBe(false);
      if (!read.ok) {
        expect(read.message).toBe(`CSV file ${join(dir, "big.csv")} is 1.1 MiB; data files are limited to 1 MiB`);
        expect(read.hint).toContain("--max-data-size");
      }
      expect(diskFiles(dir).readText("big.csv", "CSV file").ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("files shipped with a submitted plan", () => {
  const files = new Map([["users.csv", new TextEncoder().encode("name\nann\n")]]);

  test("resolve only against the shipped files: absolute and escaping paths are refused before any lookup", () => {
    expect(shippedPathProblem("/etc/shadow")).toContain("absolute");
    expect(shippedPathProblem("../../etc/passwd")).toBe("leaves the plan's directory");
    expect(shippedPathProblem("data/../../x")).toBe("leaves the plan's directory");
    expect(shippedPathProblem("data/users.csv")).toBeUndefined();
  });

  test("a plan naming a controller file is refused and nothing of the file is echoed", () => {
    for (const path of ["/etc/passwd", "/proc/self/cmdline", "../../etc/passwd"]) {
      const result = loadPlan({ text: plan(path), file: "plan.yaml", baseDir: "/", env: {} }, { files: shippedFiles(files), modules: BUILTINS });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.issues).toHaveLength(1);
      expect(result.issues[0]!.path).toBe("data.users.csv");
      expect(result.issues[0]!.message).not.toContain("root:");
    }
  });

  test("a shipped file loads; a missing one says it was not shipped", () => {
    const ok = loadPlan({ text: plan("users.csv"), file: "plan.yaml", baseDir: "/nonexistent", env: {} }, { files: shippedFiles(files), modules: BUILTINS });
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.plan.data.users!.rows.record(0)).toEqual({ name: "ann" });
    const missing = loadPlan({ text: plan("other.csv"), file: "plan.yaml", baseDir: "/", env: {} }, { files: shippedFiles(files), modules: BUILTINS });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.issues[0]!.message).toBe("CSV file other.csv was not shipped with the plan");
  });
});
