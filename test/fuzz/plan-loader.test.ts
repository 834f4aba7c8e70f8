// Property-based fuzzing of the YAML plan loader (test/fuzz/lib/plan-loader-properties.ts), at
// CI size with a fixed seed; `npm run fuzz` runs the same properties ten times longer.
import { describe, test } from "bun:test";
import { assertProperty, holding } from "./lib/harness.ts";
import { PLAN_LOADER_PROPERTIES } from "./lib/plan-loader-properties.ts";

describe("fuzz: plan loader", () => {
  for (const p of holding(PLAN_LOADER_PROPERTIES)) test(`${p.id}: ${p.claim}`, () => assertProperty(p, undefined), 60_000);
});
