// An output plugin (examples/plugins/sqlite-output.ts) through `--plugin` and `--out sqlite=FILE`:
// the output comes from the plugin's registry entry on the main thread, and the database holds a
// row per metric per snapshot whose counts add up to the summary's.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { writePlan } from "../../helpers/plans.ts";
import { ConfigError } from "../../../src/shared/errors.ts";

const PLUGIN = join(import.meta.dir, "..", "..", "..", "examples", "plugins", "sqlite-output.ts");

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await demo.stop();
});

const PLAN = `
baseUrl: \${env.BASE_URL}
vus: 2
iterations: 12
flow:
  - request: { url: /json }
`;

describe("an output plugin", () => {
  test("--out sqlite=FILE writes every snapshot; the rows add up to the summary", async () => {
    const dir = writePlan(PLAN);
    try {
      copyFileSync(PLUGIN, dir.path("sqlite-output.ts"));
      const { io } = memoryIO({ BASE_URL: demo.url }, dir.dir);
      const overrides = { plugins: ["./sqlite-output.ts"] };
      const code = await runLocal(
        { planPath: dir.planPath, env: io.env, workers: 2, segment: WHOLE, summaryJson: dir.path("summary.json"), outputs: ["sqlite=results.db"], quiet: true, color: false, overrides },
        io,
      );
      expect(code).toBe(0);
      const summary = JSON.parse(readFileSync(dir.path("summary.json"), "utf8"));
      const db = new Database(dir.path("results.db"), { readonly: true });
      try {
        const sum = (metric: string) => (db.query("SELECT SUM(count) AS n FROM snapshots WHERE metric = ?").get(metric) as { n: number }).n;
        expect(sum("iterations")).toBe(12);
        expect(sum("http_reqs")).toBe(summary.metrics.http_reqs.count);
        const finals = db.query("SELECT COUNT(DISTINCT tick) AS n FROM snapshots WHERE final = 1").get() as { n: number };
        expect(finals.n).toBe(1);
      } finally {
        db.close();
      }
    } finally {
      dir.cleanup();
    }
  }, 60_000);

  test("without the plugin, --out sqlite is an unknown output", async () => {
    const dir = writePlan(PLAN);
    try {
      const { io } = memoryIO({ BASE_URL: demo.url }, dir.dir);
      const run = runLocal({ planPath: dir.planPath, env: io.env, workers: 1, segment: WHOLE, outputs: ["sqlite=results.db"], quiet: true, color: false }, io);
      await expect(run).rejects.toThrow(ConfigError);
      await expect(run).rejects.toThrow('there is no output "sqlite"');
    } finally {
      dir.cleanup();
    }
  });
});
