// The flow interpreter: runs a compiled step list for one VU. Called by the VU's own iteration
// (one at a time per VU) and by control steps for their nested lists; many VUs run it
// concurrently on one thread, each with its own runtime. What a step does is its own
// `CompiledStep.run` (core/modules.ts); this file knows no step kind.
// Contract:
// - `signal` aborted: no further step starts; a running step returns promptly (a sleep ends at
//   once, an in-flight request gets the signal and its checks/extraction are skipped: a cut-off
//   response says nothing about the target); `runSteps` then resolves.
// - Network failures are results, not errors (see core/checks/run.ts). Anything thrown is a bug in
//   the plan or the engine: it propagates as a `StepError` naming the innermost step's source
//   location, and the caller (flow-vu.ts) ends the iteration.
import type { SourceLoc, TemplateScope } from "../../config/plan.ts";
import type { MetricSink, Tags } from "../../metrics/types.ts";
import type { CookieJar, ProtocolSession, Session } from "../../protocols/types.ts";
import type { CompiledStep } from "../modules.ts";
import type { VuScript } from "../script.ts";

/** What a step sees of a VU. */
export interface VuRuntime {
  readonly id: number;
  /** The VU's scope: `vars` persist across iterations; `iteration` and `data` set per iteration. */
  readonly scope: TemplateScope;
  readonly cookies: CookieJar;
  readonly metrics: MetricSink;
  readonly random: () => number;
  /** Deduplicated warnings (shared by the factory's VUs). */
  readonly warn: (message: string) => void;
  /** The VU's hooks (core/script.ts), when the plan has a `hooks:` module. */
  readonly script?: VuScript;
  /**
   * The VU's session of `protocol` (a name in the protocols map), opened on first use. A step asks
   * only for its own protocol's session, so it knows the session's type `S`.
   */
  session<S extends Session = ProtocolSession>(protocol: string): S;
}

/**
 * An error that, ending an iteration, is also counted: flow-vu.ts adds 1 to `countAs.metric`
 * with the iteration's tags and `countAs.tags` (e.g. src/plugin-api/failure.ts counts a plugin's
 * failures in `plugin_errors{plugin}`). Found on the error or on the cause of a StepError.
 */
export interface CountedFailure {
  readonly countAs: { readonly metric: string; readonly tags: Tags };
}

/** The CountedFailure `error` is or wraps (StepError causes), if any. */
export function countedFailure(error: unknown): CountedFailure | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const countAs = (e as Partial<CountedFailure>).countAs;
    if (countAs && typeof countAs.metric === "string") return e as CountedFailure;
  }
  return undefined;
}

/** A bug raised by a step, with the step's location. */
export class StepError extends Error {
  constructor(
    readonly loc: SourceLoc,
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(`${loc.file}:${loc.line}:${loc.column}: ${step} step failed: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = "StepError";
  }
}

export async function runSteps(steps: readonly CompiledStep[], vu: VuRuntime, signal: AbortSignal): Promise<void> {
  for (const step of steps) {
    if (signal.aborted) return;
    try {
      // Synchronous steps (set) return nothing: no promise, no extra turn.
      const pending = step.run(vu, signal);
      if (pending !== undefined) await pending;
    } catch (error) {
      throw asStepError(step, error);
    }
  }
}

/**
 * What `runSteps` throws for `error` raised by `step`: the innermost StepError as is, anything
 * else wrapped with the step's location. For callers that inline `runSteps`'s loop (flow-vu.ts).
 */
export function asStepError(step: CompiledStep, error: unknown): StepError {
  return error instanceof StepError ? error : new StepError(step.loc, step.kind, error);
}
