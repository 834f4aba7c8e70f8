// The runtime half of the registries: what the engine needs of a step kind, a protocol and an
// executor. `core/` names no concrete one; the caller (a composition root outside core, e.g.
// src/builtins.ts and src/vu-worker.ts) passes an `EngineModules`. The syntax half is in
// config/syntax.ts; src/plugin-api/types.ts joins both into one registry entry.
import type { SourceLoc, Step } from "../config/plan.ts";
import type { MetricDefinition, Tags } from "../metrics/types.ts";
import type { ProtocolHandler, Session } from "../protocols/types.ts";
import type { ExecutorDefinition } from "./executors/types.ts";
import type { VuRuntime } from "./flow/interpreter.ts";

/** Reads a plan-relative file (`path` as written in the plan; the VU factory resolves it). */
export type ReadPlanFile = (path: string) => Promise<Uint8Array>;

/** A step compiled once per (VU factory, scenario) and shared by every VU of the scenario. */
export interface CompiledStep {
  readonly kind: string;
  readonly loc: SourceLoc;
  /**
   * Runs the step for one VU (one call at a time per VU; many VUs concurrently on one thread).
   * Contract of core/flow/interpreter.ts: with `signal` aborted it returns promptly; network
   * failures are results (recorded as failed samples), anything thrown is a bug in the plan or
   * the engine and ends the iteration with the step's location.
   */
  run(vu: VuRuntime, signal: AbortSignal): Promise<void> | void;
}

/** Given to a step's compiler. */
export interface StepCompileContext {
  readonly scenario: string;
  /**
   * The user's tags in effect for this step: the plan's and the scenario's `tags:`, then those of
   * every enclosing step and of the step itself (inner ones win; config/normalize/tags.ts).
   */
  readonly tags: Tags;
  /** k6's group path: "" at the root, "::outer::inner" below. */
  readonly group: string;
  /** Joins a relative URL to the plan's baseUrl. */
  readonly joinUrl: (url: string) => string;
  /** Reads a plan-relative data file (request bodies, protos …). */
  readonly readFile: ReadPlanFile;
  /** Compiles a nested step list (any kind) under `group`. */
  compileSteps(steps: readonly Step[], group: string): CompiledStep[];
}

/** The runtime of one step kind; `S` is its normalized spec (`Step.spec`). */
export interface StepRuntime<S = unknown> {
  readonly key: string;
  /**
   * Called once per (VU factory, scenario) step, on the worker thread before any VU runs it:
   * precompute everything static (tags, rendered constants) so `run` allocates as little as it can.
   */
  compile(spec: S, loc: SourceLoc, cc: StepCompileContext): CompiledStep;
}

/** The runtime half of a protocol module. */
export interface ProtocolRuntime {
  readonly name: string;
  readonly steps: Readonly<Record<string, StepRuntime<any>>>;
  readonly metrics: readonly MetricDefinition[];
  /** Opens a VU's session (connections, per-VU state); see protocols/types.ts. */
  readonly handler: ProtocolHandler<Session>;
}

/** What the engine (worker threads, scheduler, VU factory) is given. */
export interface EngineModules {
  readonly steps: Readonly<Record<string, StepRuntime<any>>>;
  readonly protocols: Readonly<Record<string, ProtocolRuntime>>;
  readonly executors: Readonly<Record<string, ExecutorDefinition<any, any>>>;
  readonly metrics: readonly MetricDefinition[];
}
