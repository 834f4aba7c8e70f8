// Typed variables and expressions end to end: `loadr run` in-process (two worker threads) against
// a real target on port 0 that records every request it serves. The check: a loop with
// `set: { n: "${vars.n + 1}" }` and `loop: { while: "${vars.n < 5}" }` makes exactly 5 requests
// per iteration.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { writePlan } from "../../helpers/plans.ts";

/** Every request's path and query, in arrival order. */
const seen: string[] = [];
let target: ReturnType<typeof Bun.serve>;
beforeAll(() => {
  target = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const url = new URL(request.url);
      seen.push(url.pathname + url.search);
      return Response.json({ page: Number(url.searchParams.get("page") ?? 0), last: url.searchParams.get("page") === "3" });
    },
  });
});
afterAll(() => {
  target.stop(true);
});

async function run(yaml: string) {
  seen.length = 0;
  const plan = writePlan(yaml);
  const { io, stderr } = memoryIO({ BASE_URL: `http://127.0.0.1:${target.port}` });
  try {
    const code = await runLocal({ planPath: plan.planPath, env: io.env, workers: 2, segment: WHOLE, summaryJson: plan.path("summary.json"), quiet: true, color: false }, io);
    const summary = JSON.parse(readFileSync(plan.path("summary.json"), "utf8"));
    return { code, summary, stderr: stderr() };
  } finally {
    plan.cleanup();
  }
}

describe("expressions in a real run", () => {
  test("a counter loop makes exactly 5 requests per iteration, n = 0..4 in order", async () => {
    const { code, summary, stderr } = await run(`
name: counter
baseUrl: \${env.BASE_URL}
scenarios:
  count:
    executor: per-vu-iterations
    vus: 2
    iterations: 3
    flow:
      - set: { n: 0 }
      - loop: { while: "\${vars.n < 5}" }
        steps:
          - request: { name: item, url: "/item?n=\${vars.n}&vu=\${vu}&it=\${iteration}" }
          - set: { n: "\${vars.n + 1}" }
`);
    expect(code).toBe(0);
    expect(stderr).not.toContain("maxIterations");
    expect(seen).toHaveLength(30);
    expect(summary.metrics.http_reqs.count).toBe(30);
    expect(summary.metrics.iterations.count).toBe(6);
    const byIteration = new Map<string, string[]>();
    for (const path of seen) {
      const q = new URL(path, "http://x").searchParams;
      const key = `${q.get("vu")}/${q.get("it")}`;
      byIteration.set(key, [...(byIteration.get(key) ?? []), q.get("n")!]);
    }
    expect(byIteration.size).toBe(6);
    for (const ns of byIteration.values()) expect(ns).toEqual(["0", "1", "2", "3", "4"]);
  });

  test("pagination: while the last response says there is more, fetch the next page", async () => {
    const { code, summary } = await run(`
name: pages
baseUrl: \${env.BASE_URL}
scenarios:
  pages:
    executor: per-vu-iterations
    vus: 1
    iterations: 2
    flow:
      - set: { page: 0, last: false }
      - loop: { while: "\${!vars.last}", max: 10 }
        steps:
          - request:
              url: "/list?page=\${vars.page}"
              extract: { last: { json: "$.last" }, got: { json: "$.page" } }
          - set: { page: "\${int(vars.got) + 1}", last: "\${vars.last == 'true'}" }
`);
    expect(code).toBe(0);
    expect(seen).toEqual(["/list?page=0", "/list?page=1", "/list?page=2", "/list?page=3", "/list?page=0", "/list?page=1", "/list?page=2", "/list?page=3"]);
    expect(summary.metrics.http_reqs.count).toBe(8);
  });
});
