import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { validatePlan } from "../../../src/cli/commands/validate.ts";
import { memoryIO } from "../../../src/cli/io.ts";
import { planJsonSchema } from "../../../src/config/schema/json-schema.ts";
import { BUILTINS } from "../../../src/builtins.ts";
import { FIXTURES } from "./helpers.ts";

describe("loadr validate", () => {
  test("a valid plan: one summary line; the unset env var is a warning", async () => {
    const { io, stdout, stderr } = memoryIO({}, FIXTURES);
    expect(await validatePlan("reference/plan.yaml", {}, io)).toBe(0);
    expect(stdout()).toBe("✓ reference/plan.yaml is valid: 2 scenarios (browse: constant-vus, burst: ramping-arrival-rate), 4 thresholds\n");
    expect(stderr()).toContain("warning: reference/plan.yaml:5:16  baseUrl: environment variable BASE_URL is not set");
  });

  test("an invalid plan: every problem on stderr, exit 104", async () => {
    const { io, stdout, stderr } = memoryIO({}, FIXTURES);
    expect(await validatePlan("bad/five-mistakes.yaml", {}, io)).toBe(104);
    expect(stdout()).toBe("");
    const lines = stderr().trimEnd().split("\n");
    expect(lines[0]).toBe("✗ bad/five-mistakes.yaml is not valid: 6 problems");
    expect(lines.slice(1).map((l) => l.trim().split("  ")[0])).toEqual([
      "bad/five-mistakes.yaml:10:5",
      "bad/five-mistakes.yaml:14:39",
      "bad/five-mistakes.yaml:15:16",
      "bad/five-mistakes.yaml:21:5",
      "bad/five-mistakes.yaml:25:3",
      "bad/five-mistakes.yaml:26:12",
    ]);
  });

  test("a missing plan file: a clear message, exit 104", async () => {
    const { io, stderr } = memoryIO({}, FIXTURES);
    expect(await validatePlan("nope.yaml", {}, io)).toBe(104);
    expect(stderr()).toContain("nope.yaml:1:1  plan file not found: nope.yaml");
  });
});

describe("loadr schema", () => {
  const schema = planJsonSchema(BUILTINS) as {
    $schema: string;
    properties: Record<string, { properties?: Record<string, unknown> }>;
    additionalProperties: boolean;
    definitions: Record<string, { anyOf?: Array<{ properties?: Record<string, { const?: string }> }> }>;
  };

  test("is draft-07 JSON Schema covering every key of the reference plan", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.additionalProperties).toBe(false);
    const reference = parse(readFileSync(join(FIXTURES, "reference/plan.yaml"), "utf8")) as Record<string, Record<string, unknown>>;
    for (const key of Object.keys(reference)) expect(schema.properties).toHaveProperty(key);
    for (const key of Object.keys(reference.defaults!)) expect(schema.properties.defaults!.properties).toHaveProperty(key);
    for (const key of Object.keys(reference.cluster!)) expect(schema.properties.cluster!.properties).toHaveProperty(key);
  });

  test("has one scenario shape per executor with that executor's options", () => {
    const shapes = schema.definitions.scenario!.anyOf!;
    const executors = shapes.map((s) => s.properties!.executor!.const);
    expect(executors).toContain("ramping-arrival-rate");
    const burst = shapes.find((s) => s.properties!.executor!.const === "ramping-arrival-rate")!;
    const reference = parse(readFileSync(join(FIXTURES, "reference/plan.yaml"), "utf8"));
    for (const key of Object.keys(reference.scenarios.burst)) expect(burst.properties).toHaveProperty(key);
    expect(Object.keys(schema.definitions)).toEqual(expect.arrayContaining(["step", "check", "extraction"]));
  });

  test("steps, checks and profiles are offered by their kind keys", () => {
    const kinds = (name: string) => schema.definitions[name]!.anyOf!.flatMap((o) => Object.keys(o.properties ?? {}));
    expect(kinds("step")).toEqual(expect.arrayContaining(["request", "sleep", "group", "steps", "loop", "if", "then", "else", "set"]));
    expect(kinds("check")).toEqual(expect.arrayContaining(["status", "header", "body", "json", "duration", "name"]));
    expect(kinds("profile")).toEqual(["ramp", "step", "spike"]);
  });
});
