// `loadr run PLAN --controller URL` (and `--local-agents N`, which starts a loopback cluster
// first): submit the plan and its data files, show the controller's live events, and end exactly
// like a local run: the same summary on stdout, --summary-json, the same exit codes.
// Ctrl-C (or SIGTERM) always ends it: the first asks the controller to stop the run gracefully
// and waits for the summary; the second asks it to kill the run (without waiting for an answer)
// and returns 105 at once, whether the controller is reachable, frozen or gone, and whether a
// summary ever comes. Nothing is left pending that would keep the process alive.
import type { ProcessIO } from "../io.ts";
import type { PlanOverrides } from "../../config/overrides.ts";
import { jsonLogWriter, type LogFormat } from "../log.ts";
import type { Summary } from "../../core/run/summary.ts";
import { ControllerClient, submitRun } from "../../cluster/client.ts";
import { emitSummary, writeAtEnd } from "./finish.ts";
import { RemoteView } from "./remote-view.ts";
import { exitCodeOf } from "../../core/run/outcome.ts";
import { downloadReport } from "./report-file.ts";

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
  /** `loadr run`'s k6 flags that change the plan: the submitted plan text carries them. */
  overrides?: PlanOverrides;
  /** `--no-summary`. */
  noSummary?: boolean;
  /** `--log-format`: "json" turns every line on stderr into a JSON log object. */
  logFormat?: LogFormat;
  /** `--report` (fetched from the controller's GET /api/runs/:id/report), `--summary-junit`, `--summary-markdown`. */
  report?: string;
  summaryJunit?: string;
  summaryMarkdown?: string;
}

export async function runRemote(command: RemoteRunCommand, processIO: ProcessIO): Promise<number> {
  const io: ProcessIO = command.logFormat === "json" ? { ...processIO, stderr: jsonLogWriter(processIO.stderr, "run") } : processIO;
  const run = await submitRun(command.controllerUrl, {
    planPath: command.planPath,
    env: command.env,
    apiToken: command.apiToken,
    ...(command.overrides ? { overrides: command.overrides } : {}),
  });
  const client = new ControllerClient(command.controllerUrl, command.apiToken);
  const view = new RemoteView(io, command.quiet);
  const say = (text: string) => view.say(text);
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
    for await (const event of run.events) view.event(event);
    const result = await run.result;
    let exitCode: number = result.exitCode;
    if (run.teardown) {
      // teardown once the fleet is done, here where setup ran (as in a local run, a teardown
      // that fails is reported, not a failed run); its requests come after the controller's
      // summary was made, so they are not in it.
      const problem = await run.teardown();
      if (problem) io.stderr.write(`loadr: ${problem}\n`);
    }
    if (result.summary) exitCode = await writeAtEnd(exitCode, io, () => emitSummary(result.summary as Summary, io, { summaryJson: command.summaryJson, color: command.color, noSummary: command.noSummary, summaryJunit: command.summaryJunit, summaryMarkdown: command.summaryMarkdown, exitCode: result.exitCode }));
    if (command.report) exitCode = await writeAtEnd(exitCode, io, () => downloadReport(client, run.runId, command.report!, io));
    if (result.error) io.stderr.write(`loadr: the run ${result.status}: ${result.error}\n`);
    // A run that ended without a summary cannot have succeeded, whatever the code says.
    return result.summary || exitCode !== exitCodeOf("finished") ? exitCode : exitCodeOf("failed");
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
