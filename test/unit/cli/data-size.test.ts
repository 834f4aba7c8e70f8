import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDataSize } from "../../../src/cli/run/data-size.ts";
import { validatePlan } from "../../../src/cli/commands/validate.ts";
import { memoryIO } from "../../../src/cli/io.ts";
import { ConfigError } from "../../../src/shared/errors.ts";

describe("--max-data-size", () => {
  test("bytes, decimal and binary units", () => {
    expect(parseDataSize("2048")).toBe(2048);
    expect(parseDataSize("512MiB")).toBe(512 * 1024 * 1024);
    expect(parseDataSize("1.5 kb")).toBe(1500);
    expect(parseDataSize("1GiB")).toBe(1024 ** 3);
  });

  test("anything else is a config error naming the flag", () => {
    for (const bad of ["", "ten", "5 parsecs", "0", "2GiB"]) {
      expect(() => parseDataSize(bad)).toThrow(ConfigError);
    }
    expect(() => parseDataSize("ten")).toThrow('--max-data-size: "ten" is not a size');
  });

  test("a CSV over the cap is refused by validate, naming the limit; under it the plan is valid", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loadr-max-data-"));
    try {
      writeFileSync(join(dir, "users.csv"), "name\n" + "someone\n".repeat(300));
      writeFileSync(
        join(dir, "plan.yaml"),
        'baseUrl: http://127.0.0.1:1\ndata:\n  users: { csv: users.csv }\nscenarios:\n  s:\n    executor: shared-iterations\n    flow:\n      - request: { url: "/${data.users.name}" }\n',
      );
      const small = memoryIO({}, dir);
      expect(await validatePlan("plan.yaml", {}, small.io, 1000)).toBe(104);
      expect(small.stderr()).toContain("data files are limited to");
      const big = memoryIO({}, dir);
      expect(await validatePlan("plan.yaml", {}, big.io, parseDataSize("1MiB"))).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
