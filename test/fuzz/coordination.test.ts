// Property-based fuzzing of the coordination port of a real controller process, next to a real
// agent (test/fuzz/lib/coordination-properties.ts), at CI size with a fixed seed; `npm run fuzz`
// runs the same properties ten times longer, and the findings beside them.
import { afterAll, beforeAll, describe, test } from "bun:test";
import { startClusterUnderTest, type ClusterUnderTest } from "./lib/cluster-under-test.ts";
import { COORDINATION_PROPERTIES } from "./lib/coordination-properties.ts";
import { assertProperty, holding } from "./lib/harness.ts";

let cluster: ClusterUnderTest;
beforeAll(async () => {
  cluster = await startClusterUnderTest();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

describe("fuzz: coordination messages against a controller process", () => {
  for (const p of holding(COORDINATION_PROPERTIES)) test(`${p.id}: ${p.claim}`, () => assertProperty(p, cluster), 120_000);
});
