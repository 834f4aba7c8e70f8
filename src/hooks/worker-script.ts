// The hooks engine of a VU worker thread (core/script.ts `ScriptEngine`, wired by
// src/vu-worker.ts): one isolated context per thread, shared by the thread's VUs (module-level
// variables are per thread; per-VU state belongs in ctx.vars), one ctx per VU. Every call is
// bounded by `hooks.timeout`; a failure is counted (`hook_errors{hook}`), warned once per distinct
// message (the summary's notes) with the hook, the error and the module's file:line:col, and
// thrown as HookFailure so the iteration ends.
import type { TestPlan } from "../config/plan.ts";
import { createUrlJoiner } from "../config/url.ts";
import { HOOK_ERRORS_METRIC } from "../config/normalize/hooks.ts";
import type { VuRuntime } from "../core/flow/interpreter.ts";
import { HookFailure, type LifecycleHook, type ReturnedVars, type ScriptEngine, type ScriptLoadOptions, type VuScript, type WorkerScript } from "../core/script.ts";
import type { ProtocolSession, ResponseView } from "../protocols/types.ts";
import type { Tags } from "../metrics/types.ts";
import { createBridge, responseJson, varProblem } from "./bridge.ts";
import type { BootstrapApi, CtxObject } from "./context.ts";
import { errorText, HookError, loadHooks, type LoadedHooks } from "./module.ts";

const HTTP = "http";
/** Setup data a worker accepts (the controller and the main process enforce the same limit when they produce it). */
export const MAX_SETUP_JSON_BYTES = 4 * 1024 * 1024;

/** A console line of user code on this process's stderr, tagged with its VU. */
export function hookLog(level: string, label: string, text: string): void {
  console.error(`[hooks${label ? ` ${label}` : ""}] ${level === "info" ? "" : `${level}: `}${text}`);
}

export const HOOKS_ENGINE: ScriptEngine = {
  async load(plan, options) {
    const spec = plan.hooks;
    if (!spec) throw new Error("the plan has no hooks: module");
    const hooks = await loadHooks(spec, plan.source.baseDir, hookLog);
    if (options.setupJson !== undefined && options.setupJson.length > MAX_SETUP_JSON_BYTES) {
      throw new Error(`setup data is ${options.setupJson.length} bytes; at most ${MAX_SETUP_JSON_BYTES} are allowed`);
    }
    const setup = options.setupJson === undefined ? undefined : deepFreeze(JSON.parse(options.setupJson));
    return new HooksWorkerScript(plan, hooks, setup, options);
  },
};

class HooksWorkerScript implements WorkerScript {
  readonly #joinUrl: (url: string) => string;
  readonly #env = new Map<string, Record<string, string | undefined>>();

  constructor(
    readonly plan: TestPlan,
    readonly hooks: LoadedHooks,
    readonly setup: unknown,
    readonly options: ScriptLoadOptions,
  ) {
    this.#joinUrl = createUrlJoiner(plan.baseUrl);
  }

  envOf(scenario: string): Record<string, string | undefined> {
    let env = this.#env.get(scenario);
    if (!env) {
      env = { ...this.plan.source.env, ...this.plan.scenarios.find((s) => s.name === scenario)?.env };
      this.#env.set(scenario, env);
    }
    return env;
  }

  forVu(vu: VuRuntime): VuScript {
    return new HooksVu(this, vu, this.#joinUrl);
  }
}

class HooksVu implements VuScript {
  readonly #ctx: CtxObject;
  readonly #api: BootstrapApi;
  readonly #tags: Tags;

  constructor(
    private readonly script: HooksWorkerScript,
    private readonly vu: VuRuntime,
    joinUrl: (url: string) => string,
  ) {
    const scenario = vu.scope.scenario;
    this.#tags = Object.freeze({ scenario });
    this.#api = script.hooks.context.api;
    const bridge = createBridge({
      scope: vu.scope,
      metrics: vu.metrics,
      registry: script.options.registry,
      tags: this.#tags,
      http: () => vu.session<ProtocolSession>(HTTP),
      joinUrl,
    });
    const fixed = { vu: vu.id, scenario, label: `vu ${vu.id}`, env: script.envOf(scenario), setup: script.setup };
    this.#ctx = this.#api.makeCtx(bridge, JSON.stringify(fixed));
  }

  has(name: string): boolean {
    return this.script.hooks.has(name);
  }

  #fail(error: unknown, hook: string): HookFailure {
    const e = error instanceof HookError ? error : new HookError(hook, errorText(error), undefined);
    try {
      this.vu.metrics.add(HOOK_ERRORS_METRIC.name, 1, { hook, scenario: this.vu.scope.scenario });
    } catch {
      // a registry without hook_errors (a plan loaded without hooks:) cannot happen here; never fail the report
    }
    this.vu.warn(`scenario "${this.vu.scope.scenario}": ${e.message}`);
    return new HookFailure(e.message);
  }

  #invoke(name: string, argsJson: string, signal: AbortSignal): unknown {
    this.#ctx.iteration = this.vu.scope.iteration;
    const timeout = this.script.plan.hooks!.timeoutMs;
    try {
      const result = this.script.hooks.call(name, this.#ctx, argsJson, timeout, signal);
      if (result instanceof Promise) return result.catch((error) => Promise.reject(this.#fail(error, name)));
      return result;
    } catch (error) {
      throw this.#fail(error, name);
    }
  }

  lifecycle(name: LifecycleHook, signal: AbortSignal): Promise<void> | void {
    const result = this.#invoke(name, "", signal);
    if (result instanceof Promise) return result.then(() => undefined);
  }

  call(name: string, args: readonly unknown[], signal: AbortSignal): ReturnedVars | undefined | Promise<ReturnedVars | undefined> {
    const result = this.#invoke(name, args.length === 0 ? "" : JSON.stringify(args), signal);
    if (result instanceof Promise) return result.then((value) => this.#vars(name, value));
    return this.#vars(name, result);
  }

  /** What a js step's function returned, as variables; a HookFailure for anything but an object or nothing. */
  #vars(name: string, value: unknown): ReturnedVars | undefined {
    const kind = this.#api.kindOf(value);
    if (kind === "undefined" || kind === "null") return undefined;
    if (kind !== "object") {
      throw this.#fail(new HookError(name, `returned ${kind === "array" ? "a list" : `a ${kind}`}; a js step's function returns an object of variables, or nothing`, undefined), name);
    }
    const out: ReturnedVars = {};
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      let v = record[key];
      if (v !== null && typeof v === "object") v = this.#api.toJson(v);
      const problem = varProblem(v);
      if (problem) throw this.#fail(new HookError(name, `returned ${key}: ${problem}`, undefined), name);
      out[key] = v === undefined ? null : (v as string | number | boolean | null);
    }
    return out;
  }

  check(name: string, response: unknown): true | string {
    this.#ctx.iteration = this.vu.scope.iteration;
    let result: unknown;
    try {
      result = this.script.hooks.call(name, this.#ctx, JSON.stringify(responseJson(response as ResponseView)), this.script.plan.hooks!.timeoutMs, undefined, true);
    } catch (error) {
      this.#fail(error, name);
      return errorText(error);
    }
    return this.#verdict(name, result);
  }

  #verdict(name: string, result: unknown): true | string {
    if (result === true) return true;
    if (result instanceof Promise) result.catch(() => {}); // judged below; its late end must not surface
    if (result instanceof Promise || this.#api.kindOf(result) === "promise") {
      const reason = "returned a promise: a js check must be synchronous (do the waiting in a js step before the request)";
      this.#fail(new HookError(name, reason, undefined), name);
      return reason;
    }
    const reason = typeof result === "string" ? result : `returned ${result === false ? "false" : String(this.#api.toJson(result))}`;
    this.vu.warn(`scenario "${this.vu.scope.scenario}": check js ${name} failed: ${reason.slice(0, 200)}`);
    return reason;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
