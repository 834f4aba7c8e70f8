// Property-based fuzzing of templates and conditions (test/fuzz/lib/expression-properties.ts), at
// CI size with a fixed seed; `npm run fuzz` runs the same properties ten times longer.
import { describe, test } from "bun:test";
import { assertProperty, holding } from "./lib/harness.ts";
import { EXPRESSION_PROPERTIES } from "./lib/expression-properties.ts";

describe("fuzz: templates and conditions", () => {
  for (const p of holding(EXPRESSION_PROPERTIES)) test(`${p.id}: ${p.claim}`, () => assertProperty(p, undefined), 60_000);
});
