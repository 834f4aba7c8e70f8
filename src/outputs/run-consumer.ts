// Outputs as run-loop consumers, and their lifecycle around a run. Called by whichever host runs
// the loop (cli/run/run-local.ts today); outputs themselves know nothing of the loop's timing.
import type { RunConsumer } from "../core/run/run-loop.ts";
import type { Output } from "./types.ts";

/** The consumer that feeds `output` every snapshot and stops (flushes) it at the end. */
export function outputConsumer(output: Output): RunConsumer {
  return {
    name: output.description,
    onTick: (snapshot) => output.add(snapshot),
    onFinish: (result) => output.stop(result.outcome.kind === "failed" ? new Error(result.outcome.reason ?? "the run failed") : undefined),
  };
}

/** Starts every output in order; if one fails, stops those already started and rethrows its error. */
export async function startOutputs(outputs: readonly Output[]): Promise<void> {
  const started: Output[] = [];
  try {
    for (const output of outputs) {
      await output.start();
      started.push(output);
    }
  } catch (error) {
    await Promise.allSettled(started.map((o) => o.stop()));
    throw error;
  }
}
