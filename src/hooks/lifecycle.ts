// `setup` and `teardown` of a plan's hooks module, once per run, in a context of their own:
// called by the process that runs them for the whole run (the main thread of `loadr run` before
// its workers start and after they end, src/cli/run/run-local.ts; one agent of a distributed run).
// Their ctx has no VU (`ctx.vu` is 0) and `ctx.http.request` goes through the real HTTP protocol
// handler, its samples tagged `group: ::setup` / `::teardown` like k6's, into `metrics`. What
// `setup` returns must be JSON (at most MAX_SETUP_JSON_BYTES); it reaches every VU as
// `${setup.x}` and ctx.setup, and `teardown(ctx, data)` as its second argument.
import type { TemplateScope, TestPlan } from "../config/plan.ts";
import { createUrlJoiner } from "../config/url.ts";
import { MemoryCookieJar } from "../core/cookies.ts";
import type { EngineModules } from "../core/modules.ts";
import type { MetricRegistry } from "../metrics/registry.ts";
import type { MetricSink } from "../metrics/types.ts";
import type { ProtocolSession } from "../protocols/types.ts";
import { createBridge } from "./bridge.ts";
import { HookError, loadHooks, type LoadedHooks } from "./module.ts";
import { hookLog, MAX_SETUP_JSON_BYTES } from "./worker-script.ts";

export interface LifecycleOptions {
  protocols: EngineModules["protocols"];
  metrics: MetricSink;
  /** Where implicit custom metrics of setup/teardown are registered (the one `metrics` writes into). */
  registry: MetricRegistry;
}

/** `setup` failed: the run must not start. `message` names the hook, error and position; `frames` the stack. */
export class SetupError extends Error {
  constructor(
    message: string,
    readonly frames: string[],
  ) {
    super(message);
    this.name = "SetupError";
  }
}

export interface RunLifecycle {
  /** Runs `setup` when exported; its data as JSON text (undefined when it returns nothing or is absent). Throws SetupError. */
  setup(): Promise<string | undefined>;
  /** Runs `teardown(ctx, data)` when exported; what went wrong, in words, or undefined. Never throws. */
  teardown(setupJson: string | undefined): Promise<string | undefined>;
  close(): void;
}

/** Loads the module for setup/teardown; throws SetupError when it does not load. */
export async function openLifecycle(plan: TestPlan, options: LifecycleOptions): Promise<RunLifecycle> {
  const spec = plan.hooks!;
  let hooks: LoadedHooks;
  try {
    hooks = await loadHooks(spec, plan.source.baseDir, hookLog);
  } catch (error) {
    throw new SetupError((error as Error).message, error instanceof HookError ? error.frames : []);
  }
  const joinUrl = createUrlJoiner(plan.baseUrl);
  const cookies = new MemoryCookieJar();
  let session: ProtocolSession | undefined;
  const ctxFor = (group: "::setup" | "::teardown") => {
    const scope: TemplateScope = { vars: Object.create(null), data: Object.create(null), vu: 0, iteration: 0, scenario: "" };
    const http = options.protocols.http;
    const bridge = createBridge({
      scope,
      metrics: options.metrics,
      registry: options.registry,
      tags: Object.freeze({ group }),
      http: () => {
        if (!http) throw new Error("no http protocol among the modules");
        return (session ??= http.handler.openSession({ vu: 0, cookies, metrics: options.metrics }) as ProtocolSession);
      },
      joinUrl,
    });
    const fixed = { vu: 0, scenario: "", label: group.slice(2), env: plan.source.env, setup: undefined };
    return hooks.context.api.makeCtx(bridge, JSON.stringify(fixed));
  };
  const settle = async (value: unknown): Promise<unknown> => (value instanceof Promise ? await value : value);
  return {
    async setup() {
      if (!hooks.has("setup")) return undefined;
      let value: unknown;
      try {
        value = await settle(hooks.call("setup", ctxFor("::setup"), "", spec.setupTimeoutMs));
      } catch (error) {
        const e = error as HookError;
        throw new SetupError(`setup failed, so the run did not start: ${e.message}`, e.frames ?? []);
      }
      if (value === undefined) return undefined;
      const json = hooks.context.api.toJson(value);
      if (json === undefined) throw new SetupError("setup returned something that is not JSON (a function, a cycle or a BigInt)", []);
      if (json.length > MAX_SETUP_JSON_BYTES) {
        throw new SetupError(`setup returned ${json.length} bytes of JSON; at most ${MAX_SETUP_JSON_BYTES} are allowed (every VU gets a copy)`, []);
      }
      return json;
    },
    async teardown(setupJson) {
      if (!hooks.has("teardown")) return undefined;
      try {
        await settle(hooks.call("teardown", ctxFor("::teardown"), setupJson === undefined ? "" : `[${setupJson}]`, spec.setupTimeoutMs));
        return undefined;
      } catch (error) {
        return `teardown failed: ${(error as Error).message}`;
      }
    },
    close() {
      session?.close();
      hooks.close();
    },
  };
}
