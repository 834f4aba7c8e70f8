// The seam between the engine and user code (the plan's `hooks:` module). Core knows only these
// interfaces; src/hooks/ implements them (a node:vm context per worker thread) and the
// composition roots (src/vu-worker.ts, src/cli/run/) wire it in. Contracts:
// - A `WorkerScript` is loaded once per worker thread, before any VU starts, from the plan and the
//   run's setup data; it hands each VU its `VuScript`.
// - A `VuScript` is used by its one VU only, one call at a time. Every call is bounded by the
//   plan's hook timeout. A hook that throws, times out or returns something unusable is REPORTED
//   by the VuScript itself (the `hook_errors` counter and a deduplicated warning naming the hook,
//   the error and the module's file:line:col) and then thrown as a `HookFailure`, which ends the
//   iteration without a second warning (core/flow/flow-vu.ts).
import type { TemplateScope, TestPlan, VarValue } from "../config/plan.ts";
import type { MetricRegistry } from "../metrics/registry.ts";
import type { MetricSink } from "../metrics/types.ts";
import type { VuRuntime } from "./flow/interpreter.ts";
import type { EngineModules } from "./modules.ts";

/** Per-VU lifecycle hooks, called by the VU around its iterations when the module exports them. */
export type LifecycleHook = "init" | "beforeIteration" | "afterIteration";

/** Variables a `js` step's function returned, converted: null unsets a variable. */
export type ReturnedVars = Record<string, VarValue | null>;

export interface VuScript {
  /** Whether the module exports `name` as a function. */
  has(name: string): boolean;
  /** Calls lifecycle hook `name` (only when `has(name)`); rejects with a HookFailure. */
  lifecycle(name: LifecycleHook, signal: AbortSignal): Promise<void> | void;
  /**
   * Calls export `name` with the VU's ctx and `args` (plain JSON); what it returned (an object, or
   * nothing) as variables. Synchronous when the function is; throws/rejects with a HookFailure.
   */
  call(name: string, args: readonly unknown[], signal: AbortSignal): ReturnedVars | undefined | Promise<ReturnedVars | undefined>;
  /** A `js` check: true for a pass, else the reason. Synchronous (a check cannot wait); never throws. */
  check(name: string, response: unknown): true | string;
}

export interface WorkerScript {
  /** The run's setup data (what `setup` returned), for `${setup.x}`; undefined without one. */
  readonly setup: unknown;
  /** The script of VU `vu` (its scope, metrics and sessions). */
  forVu(vu: VuRuntime): VuScript;
}

export interface ScriptLoadOptions {
  /** The worker's metric registry: implicit custom metrics are registered in it on first use. */
  registry: MetricRegistry;
  metrics: MetricSink;
  /** Deduplicated warnings (the worker's). */
  warn: (message: string) => void;
  /** JSON text of the run's setup data (what `setup` returned), when there was one. */
  setupJson?: string;
  protocols: EngineModules["protocols"];
}

/** Loads a plan's hooks for one worker thread. */
export interface ScriptEngine {
  load(plan: TestPlan, options: ScriptLoadOptions): Promise<WorkerScript>;
}

/** A hook failed and was already reported (counted and warned): end the iteration quietly. */
export class HookFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HookFailure";
  }
}

/** The scope fields a VU's script adds (TemplateScope.setup, TemplateScope.script). */
export function attachScript(scope: TemplateScope, script: WorkerScript | undefined, vuScript: VuScript | undefined): void {
  if (script?.setup !== undefined) scope.setup = script.setup;
  if (vuScript) scope.script = vuScript;
}
