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

/**
 * The summary's notes about outputs, read after their `stop`: every output that dropped points
 * (its `report()`: how many of how many, and why) or whose `stop` failed. Empty when all is well.
 */
export function outputNotes(outputs: readonly Output[], stopErrors: ReadonlyMap<Output, unknown> = new Map()): string[] {
  const notes: string[] = [];
  for (const output of outputs) {
    const report = output.report?.();
    if (report && report.droppedPoints > 0) {
      const total = report.sentPoints + report.droppedPoints;
      notes.push(`output ${output.description}: ${report.droppedPoints} of ${total} points were not delivered (${report.reasons.join("; ")}); the run's own figures are complete`);
    }
    const error = stopErrors.get(output);
    if (error !== undefined) notes.push(`output ${output.description} failed: ${(error as Error)?.message ?? String(error)}`);
  }
  return notes;
}

/** Outputs of one run: their consumers for the loop, and after the finish, the notes for its summary. */
export class RunOutputs {
  readonly outputs: readonly Output[];
  readonly #perAgent: ReadonlySet<Output>;
  readonly #stopErrors = new Map<Output, unknown>();

  /** `perAgent`: those of `outputs` fed per-agent series (a controller's; cluster/controller/agent-series.ts). */
  constructor(outputs: readonly Output[], perAgent: Iterable<Output> = []) {
    this.outputs = outputs;
    this.#perAgent = new Set(perAgent);
  }

  start(): Promise<void> {
    return startOutputs(this.outputs);
  }

  /** One consumer per output (but the per-agent ones); a `stop` that fails is remembered for `notes` (and still reported to the loop). */
  consumers(): RunConsumer[] {
    return this.#consumersOf(this.outputs.filter((o) => !this.#perAgent.has(o)));
  }

  /** The consumers of the outputs fed per-agent series. */
  agentConsumers(): RunConsumer[] {
    return this.#consumersOf(this.outputs.filter((o) => this.#perAgent.has(o)));
  }

  #consumersOf(outputs: readonly Output[]): RunConsumer[] {
    return outputs.map((output) => {
      const consumer = outputConsumer(output);
      return {
        ...consumer,
        onFinish: async (result) => {
          try {
            await consumer.onFinish?.(result);
          } catch (error) {
            this.#stopErrors.set(output, error);
            throw error;
          }
        },
      };
    });
  }

  /** After the loop's finish. */
  notes(): string[] {
    return outputNotes(this.outputs, this.#stopErrors);
  }
}
