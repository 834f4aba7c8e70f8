// `loadr run PLAN --controller URL` (and `--local-agents N`, which starts a loopback cluster
// first): submit the plan and its data files, show the controller's live events, and end exactly
// like a local run: the same summary on stdout, --summary-json, the same exit codes.
// Ctrl-C asks the controller to stop the run gracefully; a second Ctrl-C asks it to kill.
import type { ProcessIO } from "../io.ts";
import type { PlanOverrides } from "../../config/overrides.ts";
import { jsonLogWriter, type LogFormat } from "../log.ts";
import type { Summary } from "../../core/run/summary.ts";
import { ControllerClient, submitRun } from "../../cluster/client.ts";
import { emitSummary } from "./finish.ts";
import { RemoteView } from "./remote-view.ts";
import { exitCodeOf } from "../../core/run/outcome.ts";

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
  const onSigint = () => {
    interrupts++;
    const action = interrupts === 1 ? "stop" : "kill";
    say(interrupts === 1 ? "asking the controller to stop the run gracefully (Ctrl-C again to kill it)" : "asking the controller to kill the run");
    client.control(run.runId, { action }).catch((error: Error) => say(`could not ${action} the run: ${error.message}`));
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  try {
    for await (const event of run.events) view.event(event);
    const result = await run.result;
    if (result.summary) emitSummary(result.summary as Summary, io, { summaryJson: command.summaryJson, color: command.color, noSummary: command.noSummary });
    if (result.error) io.stderr.write(`loadr: the run ${result.status}: ${result.error}\n`);
    // A run that ended without a summary cannot have succeeded, whatever the code says.
    return result.summary || result.exitCode !== exitCodeOf("finished") ? result.exitCode : exitCodeOf("failed");
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }
}
