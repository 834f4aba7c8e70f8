// Property-based fuzzing of a real controller process's HTTP API
// (test/fuzz/lib/http-api-properties.ts), at CI size with a fixed seed; `npm run fuzz` runs the
// same properties ten times longer, and the findings beside them.
import { afterAll, beforeAll, describe, test } from "bun:test";
import { startClusterUnderTest, type ClusterUnderTest } from "./lib/cluster-under-test.ts";
import { assertProperty, holding } from "./lib/harness.ts";
import { HTTP_API_PROPERTIES } from "./lib/http-api-properties.ts";

let cluster: ClusterUnderTest;
beforeAll(async () => {
  cluster = await startClusterUnderTest({ agent: false });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

describe("fuzz: the controller's HTTP API", () => {
  for (const p of holding(HTTP_API_PROPERTIES)) test(`${p.id}: ${p.claim}`, () => assertProperty(p, cluster), 120_000);
});
