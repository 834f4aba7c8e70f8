// `loadr run PLAN --controller URL` (and `--local-agents N`, which starts a loopback cluster
// first): submit the plan and its data files, show the controller's live events, and end exactly
// like a local run: the same summary on stdout, --summary-json, the same exit codes.
// Ctrl-C (or SIGTERM) always ends it: the first asks the controller to stop the run gracefully
// and waits for the summary; the second asks it to kill the run (without waiting for an answer)
// and returns 105 at once, whether the controller is reachable, frozen or gone, and whether a
// summary ever comes. Nothing is left pending that would keep the process alive.
import type { ProcessIO } from "../io.ts";
import type { Summary } from "../../core/run/summary.ts";
import type { RunEventView } from "../../cluster/api-types.ts";
import { ControllerClient, submitRun } from "../../cluster/client.ts";
import { formatProgressLog } from "../../outputs/progress.ts";
import { emitSummary } from "./finish.ts";
import { exitCodeOf } from "../../core/run/outcome.ts";

/** The graceful stop's request is abandoned after this (the run's own events still say how it ends). */
const STOP_REQUEST_TIMEOUT_MS = 10_000;
/** The kill of a second Ctrl-C is sent without waiting; this bounds how long it may hold the process. */
const KILL_REQUEST_TIMEOUT_MS = 500;

export interface RemoteRunCommand {
  controllerUrl: string;
  planPath: string;
  env: Record<string, string | undefined>;
  apiToken?: string;
  summaryJson?: string;
  quiet: boolean;
  color: boolean;
}

export async function runRemote(command: RemoteRunCommand, io: ProcessIO): Promise<number> {
  const run = await submitRun(command.controllerUrl, { planPath: command.planPath, env: command.env, apiToken: command.apiToken });
  const client = new ControllerClient(command.controllerUrl, command.apiToken);
  const say = (text: string) => {
    if (!command.quiet) io.stderr.write(`loadr: ${text}\n`);
  };
  say(`run ${run.runId} submitted to ${command.controllerUrl}`);

  let interrupts = 0;
  const pending = new AbortController();
  let exitNow!: () => void;
  const forced = new Promise<"forced">((resolve) => (exitNow = () => resolve("forced")));
  const runUrl = `${client.base}/api/runs/${run.runId}`;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      say("asking the controller to stop the run gracefully; waiting for its summary (Ctrl-C again to exit at once)");
      client
        .control(run.runId, { action: "stop" }, AbortSignal.any([pending.signal, AbortSignal.timeout(STOP_REQUEST_TIMEOUT_MS)]))
        .catch((error: Error) => say(`could not ask the controller to stop the run: ${error.message} (Ctrl-C again to exit at once)`));
      return;
    }
    if (interrupts > 2) return;
    io.stderr.write(`loadr: exiting without the run's summary; the controller was asked to kill the run: see ${runUrl} (or \`loadr control ${run.runId} status\`)\n`);
    client.control(run.runId, { action: "kill" }, AbortSignal.timeout(KILL_REQUEST_TIMEOUT_MS)).catch(() => {});
    exitNow();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const follow = async (): Promise<number> => {
    for await (const event of run.events) describe(event, say);
    const result = await run.result;
    if (result.summary) emitSummary(result.summary as Summary, io, command.summaryJson, command.color);
    if (result.error) io.stderr.write(`loadr: the run ${result.status}: ${result.error}\n`);
    // A run that ended without a summary cannot have succeeded, whatever the code says.
    return result.summary || result.exitCode !== exitCodeOf("finished") ? result.exitCode : exitCodeOf("failed");
  };
  const followed = follow();
  // After a forced exit the abandoned follow rejects (its stream is closed): nobody waits for it.
  followed.catch(() => {});
  try {
    const ended = await Promise.race([followed, forced]);
    return ended === "forced" ? exitCodeOf("interrupted") : ended;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    pending.abort(new Error("the command ended"));
    run.close();
  }
}

/** One line per event worth a person's attention; progress every few seconds. */
function describe(event: RunEventView, say: (text: string) => void): void {
  switch (event.type) {
    case "status":
      say(`run ${event.status}: ${event.message}`);
      break;
    case "agent":
      say(`agent ${event.name} ${event.state}: ${event.message}`);
      break;
    case "progress": {
      if (Math.round(event.elapsedMs / 1000) % 5 !== 0) break;
      const reqs = event.metrics.http_reqs;
      const duration = event.metrics.http_req_duration;
      const failed = event.metrics.http_req_failed;
      say(
        `${event.agents} agent(s) · ` +
          formatProgressLog({
            elapsedMs: event.elapsedMs,
            totalMs: 0,
            vus: event.activeVus,
            maxVus: event.maxVus,
            reqPerSec: reqs?.rate ?? 0,
            p95Ms: duration?.p95 ?? null,
            errorRate: failed?.rate ?? null,
          }),
      );
      break;
    }
    case "finished":
      break;
  }
}
