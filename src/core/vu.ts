// The seam between executors (which decide when iterations start) and the flow interpreter
// (which decides what an iteration does).
import type { ScenarioSpec } from "../config/plan.ts";

export interface VirtualUser {
  /** 1-based, unique within its scenario across workers and agents (see core/segment.ts offsets). */
  readonly id: number;
  /**
   * Runs one iteration of the scenario's flow. Never rejects. Records `iterations` and
   * `iteration_duration` (tagged by scenario) for every iteration it starts, and everything the
   * steps record. When `signal` aborts (hard stop), in-flight requests are abandoned and the
   * iteration ends as soon as possible; an interrupted iteration is still counted.
   */
  runIteration(signal: AbortSignal): Promise<void>;
  /**
   * Optional: `runIteration` with a callback, for the VU loops' hot path (no promise per
   * iteration). Same contract; `done` is called exactly once when the iteration has ended,
   * possibly before `runIterationThen` returns. Never throws.
   */
  runIterationThen?(signal: AbortSignal, done: () => void): void;
  /** Releases connections. Called once, when the VU is retired. */
  close(): void;
}

/** One iteration of `vu` with a callback: its own `runIterationThen`, or `runIteration`'s promise. */
export function runIterationThen(vu: VirtualUser, signal: AbortSignal, done: () => void): void {
  if (vu.runIterationThen !== undefined) return vu.runIterationThen(signal, done);
  // runIteration never rejects by contract; a bug there must not end the VU's loop.
  let pending: Promise<void>;
  try {
    pending = vu.runIteration(signal);
  } catch {
    return done();
  }
  void pending.then(done, done);
}

/** Creates the VU `id` of `scenario`. Cheap: sessions open connections lazily. */
export type VuFactory = (scenario: ScenarioSpec, id: number) => VirtualUser;
