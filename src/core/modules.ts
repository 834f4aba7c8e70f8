// The runtime half of the registries: what the engine needs of a step kind, a check or
// extraction kind, a protocol and an executor. `core/` names no concrete one; the caller (a composition root outside core, e.g.
// src/builtins.ts and src/vu-worker.ts) passes an `EngineModules`. The syntax half is in
// config/syntax.ts; src/plugin-api/types.ts joins both into one registry entry.
import type { CheckSpec, ExtractSpec, SourceLoc, Step, TemplateScope } from "../config/plan.ts";
import type { MetricDefinition, Tags } from "../metrics/types.ts";
import type { CookieJar, ProtocolHandler, ResponseView, Session } from "../protocols/types.ts";
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
   * the engine and ends the iteration with the step's location. A synchronous step returns
   * nothing; an asynchronous one may return any promise (what it resolves to is ignored), so a
   * step can hand back the promise it is waiting on instead of wrapping it in another frame.
   */
  run(vu: VuRuntime, signal: AbortSignal): Promise<unknown> | void;
  /**
   * Optional: `run` with a callback, for steps on the hot path (no promise, no extra turn). Same
   * contract as `run`; `done` is called exactly once, possibly before `runThen` returns, with
   * nothing when the step ended and with `{ error }` for what `run` would have thrown or rejected
   * with. Never throws.
   */
  runThen?(vu: VuRuntime, signal: AbortSignal, done: StepDone): void;
}

/** How a step's `runThen` ends: `failure` set when the step raised `failure.error` (a bug, see `run`). */
export type StepDone = (failure?: { error: unknown }) => void;

/** A check bound to its kind's runtime, compiled once per (scenario, step); run by core/checks/run.ts. */
export interface CompiledCheck {
  readonly name: string;
  readonly loc: SourceLoc;
  /** `{...scenario.tags, check, group, scenario}`; shared, never mutated. */
  readonly tags: Tags;
  /** The kind's `evaluate` with the check's spec bound (no lookup per response). */
  readonly evaluate: (response: ResponseView, scope: TemplateScope) => boolean;
}

/** An extraction bound to its kind's runtime; run by core/extract/extractors.ts. */
export interface CompiledExtraction {
  readonly variable: string;
  readonly loc: SourceLoc;
  /** What it looks for, in words (`JSON path $.id`), for the warning when it finds nothing. */
  readonly what: string;
  readonly extract: (response: ResponseView, jar: CookieJar) => string | undefined;
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
  /**
   * Binds each check to its kind (shared or any protocol's), tagged for `group` with `tags`
   * plus the step's own `stepTags` (a request's `tags:`).
   */
  compileChecks(specs: readonly CheckSpec[], group: string, stepTags?: Tags): CompiledCheck[];
  /** Binds each extraction to its kind (shared or any protocol's). */
  compileExtractions(specs: readonly ExtractSpec[]): CompiledExtraction[];
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

/** The runtime of one check kind; `S` is its normalized spec (`CheckSpec.spec`). */
export interface CheckRuntime<S = unknown> {
  readonly key: string;
  /**
   * Whether `response` satisfies `spec`; templates in the spec are rendered with `scope`. Called
   * on the VU's own task after each response, synchronously; never throws. Only called for a
   * response that arrived: core/checks/run.ts fails every check of a failed request itself.
   */
  evaluate(spec: S, response: ResponseView, scope: TemplateScope): boolean;
}

/** The runtime of one extraction kind; `S` is its normalized spec (`ExtractSpec.spec`). */
export interface ExtractRuntime<S = unknown> {
  readonly key: string;
  /** The value found in `response` (or `jar`), or undefined. Synchronous; never throws. */
  extract(spec: S, response: ResponseView, jar: CookieJar): string | undefined;
  /** What it looks for, in words (`JSON path $.id`), for the miss warning. Called once, at compile. */
  describe(spec: S): string;
}

/** Check kinds by key (`EngineModules.checks`, `ProtocolRuntime.checks`). */
export type CheckRuntimes = Readonly<Record<string, CheckRuntime<any>>>;

/** Extraction kinds by key. */
export type ExtractRuntimes = Readonly<Record<string, ExtractRuntime<any>>>;

/** The runtime half of a protocol module. */
export interface ProtocolRuntime {
  readonly name: string;
  readonly steps: Readonly<Record<string, StepRuntime<any>>>;
  /** Its own check kinds (beside the shared ones), e.g. on a status only it has. */
  readonly checks?: CheckRuntimes;
  /** Its own extraction kinds. */
  readonly extractions?: ExtractRuntimes;
  readonly metrics: readonly MetricDefinition[];
  /** Opens a VU's session (connections, per-VU state); see protocols/types.ts. */
  readonly handler: ProtocolHandler<Session>;
}

/** What the engine (worker threads, scheduler, VU factory) is given. */
export interface EngineModules {
  readonly steps: Readonly<Record<string, StepRuntime<any>>>;
  readonly protocols: Readonly<Record<string, ProtocolRuntime>>;
  readonly executors: Readonly<Record<string, ExecutorDefinition<any, any>>>;
  /** The shared check kinds (every protocol's own are in `protocols`). */
  readonly checks: CheckRuntimes;
  /** The shared extraction kinds. */
  readonly extractions: ExtractRuntimes;
  readonly metrics: readonly MetricDefinition[];
}
