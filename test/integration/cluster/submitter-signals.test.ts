// `loadr run --controller` always ends, with real processes from source: the first Ctrl-C asks
// the controller to stop the run and waits for its summary (exit 105); a second exits at once
// (105) even when the controller is frozen and no summary can come; a controller that dies ends
// the command with what to do.
import { afterEach, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startDemoServer } from "../../../src/demo/server.ts";
import { EXIT_EXTERNAL_ABORT, EXIT_FAILURE } from "../../../src/shared/exit-codes.ts";
import { demoStats } from "../../helpers/plans.ts";
import { tempDir, waitFor } from "./helpers.ts";
import { killAll, loadr, startAgents, startController } from "./spawn.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  killAll();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A controller, one agent, and `loadr run --controller` of a long plan with the load flowing. */
async function submitted() {
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  const demo = await startDemoServer({ port: 0, hostname: "127.0.0.1" });
  cleanups.push(() => demo.stop());
  const ctrl = await startController(join(tmp.dir, "data"));
  await startAgents(ctrl, ["solo"]);
  writeFileSync(
    join(tmp.dir, "plan.yaml"),
    `name: long\nbaseUrl: \${env.BASE_URL}\nscenarios:\n  steady:\n    executor: constant-vus\n    vus: 2\n    duration: 60s\n    gracefulStop: 1s\n    flow:\n      - request: { url: / }\n      - sleep: 20ms\n`,
  );
  const summaryJson = join(tmp.dir, "summary.json");
  const run = loadr(["run", join(tmp.dir, "plan.yaml"), "--controller", ctrl.http, "--summary-json", summaryJson], { BASE_URL: demo.url });
  await waitFor("load flowing", async () => (await demoStats(demo.url)).total > 20, 20_000);
  return { ctrl, run, summaryJson };
}

test("first Ctrl-C: the controller stops the run gracefully and the summary comes (exit 105)", async () => {
  const { run } = await submitted();
  run.kill("SIGINT");
  expect(await run.exited).toBe(EXIT_EXTERNAL_ABORT);
  expect(run.output()).toContain("asking the controller to stop the run gracefully; waiting for its summary (Ctrl-C again to exit at once)");
  expect(run.output()).toContain("http_reqs");
  expect(run.output()).toContain("interrupted (a stop control)");
}, 60_000);

test("a frozen controller: the first Ctrl-C waits, the second exits at once with 105", async () => {
  const { ctrl, run } = await submitted();
  ctrl.process.kill("SIGSTOP");
  run.kill("SIGINT");
  await waitFor("the first Ctrl-C is acknowledged", () => run.output().includes("waiting for its summary"));
  // The summary cannot come: the command is still waiting (a frozen controller answers nothing).
  expect(run.exitCode).toBeNull();
  run.kill("SIGINT");
  const code = await Promise.race([run.exited, Bun.sleep(3_000).then(() => "still running")]);
  expect(code).toBe(EXIT_EXTERNAL_ABORT);
  expect(run.output()).toContain("exiting without the run's summary; the controller was asked to kill the run: see http://");
}, 60_000);

test("a controller that dies mid-run ends the command with exit 1 and what to do", async () => {
  const { ctrl, run } = await submitted();
  ctrl.process.kill("SIGKILL");
  expect(await run.exited).toBe(EXIT_FAILURE);
  expect(run.output()).toContain("lost the run's live events from http://");
  expect(run.output()).toContain("the run goes on; see");
}, 60_000);
