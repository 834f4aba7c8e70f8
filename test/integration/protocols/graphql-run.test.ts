// `loadr run` in-process (real worker threads) with the graphql step of
// ../shared/reference/protocols.yaml against the demo's `/graphql`: checks pass and
// graphql_reqs equals the demo's byProtocol count; a response with `errors` is a failed request
// (graphql_req_failed, its checks fail) whose message reaches the run's notes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { demoStats, writePlan } from "../../helpers/plans.ts";

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await demo.stop();
});

async function run(yaml: string) {
  const plan = writePlan(yaml);
  const { io, stdout, stderr } = memoryIO({ BASE_URL: demo.url });
  try {
    const code = await runLocal(
      { planPath: plan.planPath, env: io.env, workers: 2, segment: WHOLE, summaryJson: plan.path("summary.json"), quiet: false, color: false },
      io,
    );
    return { code, summary: JSON.parse(readFileSync(plan.path("summary.json"), "utf8")), output: stdout() + stderr() };
  } finally {
    plan.cleanup();
  }
}

const plan = (query: string) => `
name: gql
baseUrl: \${env.BASE_URL}
scenarios:
  gql:
    executor: per-vu-iterations
    vus: 1
    iterations: 2
    flow:
      - graphql:
          name: item
          url: /graphql
          query: "${query}"
          variables: { id: "1" }
          operationName: Item
          checks:
            - json: "$.data.item.id"
              equals: "1"
`;

describe("graphql step against loadr demo", () => {
  test("the reference query's checks pass; graphql_reqs equals the demo's byProtocol count", async () => {
    const before = (await demoStats(demo.url)).byProtocol.graphql ?? 0;
    const { code, summary } = await run(plan("query Item($id: ID!) { item(id: $id) { id name } }"));
    const after = (await demoStats(demo.url)).byProtocol.graphql ?? 0;
    expect(code).toBe(0);
    expect(summary.metrics.checks.passes).toBe(2);
    expect(summary.metrics.checks.fails).toBe(0);
    expect(summary.metrics.graphql_reqs.count).toBe(2);
    expect(after - before).toBe(2);
    expect(summary.metrics.graphql_req_failed.passes).toBe(0);
  });

  test("a response with errors is a failed request, its checks fail, and its message is in the notes", async () => {
    const { summary, output } = await run(plan("query Item($id: ID!) { item(id: $id) { id price } }"));
    expect(summary.metrics.graphql_reqs.count).toBe(2);
    expect(summary.metrics.graphql_req_failed.passes).toBe(2);
    expect(summary.metrics.checks.fails).toBe(2);
    expect(output).toContain('NOTES\n  ! graphql item: the server answered with errors: Cannot query field "price" on type "Item"');
  });
});
