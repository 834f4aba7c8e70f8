// The one HTTP client of the controller's API (routes in http-api.ts, shapes in api-types.ts),
// used by `loadr run --controller` / `--local-agents` (cli/run/run-remote.ts) and `loadr control`
// (cli/commands/control.ts). Every failure is a LoadrError that names the URL and says what to
// do. `submitRun` loads the plan locally first (so config errors are reported exactly as for a
// local run), ships it with its data files, and follows the run's Server-Sent Events.
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { exitCodeOf } from "../core/run/outcome.ts";
import { ConfigError, LoadrError } from "../shared/errors.ts";
import { formatIssues } from "../config/issues.ts";
import { loadPlanFileWithPlugins } from "../plugin-api/load-plan.ts";
import { pluginEntries } from "../plugin-api/plugin-list.ts";
import { nativeVariants } from "../plugin-api/native-plugin.ts";
import type { PlanSource, TestPlan } from "../config/plan.ts";
import { DeltaAccumulator } from "../metrics/delta-accumulator.ts";
import { hasOneTimeHooks, startHooks, type StartedHooks } from "../hooks/run-hooks.ts";
import { MetricRegistry } from "../metrics/registry.ts";
import type { MetricDelta } from "../metrics/types.ts";
import { planTextWithOverrides, type PlanOverrides } from "../config/overrides.ts";
import { BUILTINS } from "../builtins.ts";
import type { Modules } from "../plugin-api/types.ts";
import type { AgentView, RunView, SubmitRequest } from "./api-types.ts";
import { checkDataFiles, DataFileError, sanitizeDataPath } from "./files.ts";
import { readRunEvents, type SubmittedRun } from "./client-events.ts";

export type { RunResult, SubmittedRun } from "./client-events.ts";

/** What to do after the controller's usual refusals, when it gives no hint of its own. */
const CALL_HINTS: Record<number, string> = {
  400: "`loadr control --help` lists the actions and their flags",
  404: "check the run id: `loadr control list` shows the runs",
  409: "`loadr control RUN_ID status` shows the run's state",
};

export class ControllerClient {
  /** The API's base URL without a trailing slash, e.g. http://127.0.0.1:7626. */
  readonly base: string;
  readonly #apiToken: string | undefined;

  constructor(baseUrl: string, apiToken?: string) {
    this.base = baseUrl.replace(/\/+$/, "");
    this.#apiToken = apiToken || undefined;
  }

  #headers(): Record<string, string> {
    return { "content-type": "application/json", ...(this.#apiToken ? { authorization: `Bearer ${this.#apiToken}` } : {}) };
  }

  /**
   * Opens `path` (GET, or POST with a JSON body); the response is the caller's, unless unreachable
   * or unauthorized. `signal` abandons the request (and its body).
   */
  async open(path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const url = `${this.base}${path}`;
    let response: Response;
    try {
      const init: RequestInit = body === undefined ? { headers: this.#headers() } : { method: "POST", headers: this.#headers(), body: JSON.stringify(body) };
      response = await fetch(url, signal ? { ...init, signal } : init);
    } catch (error) {
      if (signal?.aborted) throw new LoadrError(`gave up on ${url}: ${signal.reason instanceof Error ? signal.reason.message : "abandoned"}`);
      throw new LoadrError(`cannot reach the controller at ${url}: ${(error as Error).message}`, {
        hint: "check --controller: is `loadr controller --http HOST:PORT` running there and reachable from here?",
      });
    }
    if (response.status === 401) {
      throw new LoadrError(`the controller at ${this.base} wants an API token (HTTP 401 from ${url})`, {
        hint: "pass --api-token (the controller's --api-token) or set LOADR_API_TOKEN",
      });
    }
    return response;
  }

  /** A JSON call; a non-2xx answer becomes a LoadrError with the controller's own words. */
  async call<T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.open(path, body, signal);
    const answer = (await response.json().catch(() => ({}))) as { error?: string; hint?: string };
    if (!response.ok) {
      throw new LoadrError(`${body === undefined ? "GET" : "POST"} ${this.base}${path}: ${answer.error ?? `HTTP ${response.status}`}`, {
        hint: answer.hint ?? CALL_HINTS[response.status] ?? "see the controller's log",
      });
    }
    return answer as T;
  }

  listRuns(): Promise<RunView[]> {
    return this.call<{ runs: RunView[] }>("/api/runs").then((r) => r.runs);
  }

  listAgents(): Promise<AgentView[]> {
    return this.call<{ agents: AgentView[] }>("/api/agents").then((r) => r.agents);
  }

  getRun(runId: string): Promise<RunView> {
    return this.call<RunView>(`/api/runs/${encodeURIComponent(runId)}`);
  }

  /** POST /api/runs/:id/control; the run as it is afterwards. `signal` abandons the request. */
  control(runId: string, request: { action: string; scenario?: string; vus?: number }, signal?: AbortSignal): Promise<RunView> {
    return this.call<{ run: RunView }>(`/api/runs/${encodeURIComponent(runId)}/control`, request, signal).then((r) => r.run);
  }

  /** POST /api/runs; a refused plan keeps the controller's exit code (104 for an invalid one). */
  async submit(request: SubmitRequest): Promise<string> {
    const response = await this.open("/api/runs", request);
    const answer = (await response.json().catch(() => ({}))) as { id?: string; error?: string; hint?: string };
    if (!response.ok || !answer.id) {
      throw new LoadrError(`the controller at ${this.base} refused the run: ${answer.error ?? `HTTP ${response.status}`}`, {
        hint: answer.hint ?? "see the controller's log",
        exitCode: response.status === 422 ? exitCodeOf("invalid-config") : exitCodeOf("failed"),
      });
    }
    return answer.id;
  }

  /** Follows a run's live events until (and including) `finished`. */
  follow(runId: string): SubmittedRun {
    return readRunEvents(runId, `${this.base}/api/runs/${runId}`, (signal) => this.open(`/api/runs/${encodeURIComponent(runId)}/events`, undefined, signal));
  }
}

export interface SubmitOptions {
  planPath: string;
  env: Record<string, string | undefined>;
  apiToken?: string;
  /** Overrides of the plan's `cluster:` block. */
  cluster?: SubmitRequest["cluster"];
  /** What the plan may use, to check it before sending (default the built-ins). */
  modules?: Modules;
  /** `loadr run`'s k6 flags: applied to the plan here, and written into the plan text sent. */
  overrides?: PlanOverrides;
}

/** Only the variables the plan mentions travel to the controller (`${env.NAME}`). */
function referencedEnv(text: string, env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/\$\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const value = env[m[1]!];
    if (value !== undefined) out[m[1]!] = value;
  }
  return out;
}

/** The plan-relative files of the plan's plugins: each JS/TS or WebAssembly file, every build of a native one. */
function pluginFiles(source: PlanSource): string[] {
  return pluginEntries(source).entries.flatMap((entry) => {
    if (entry.kind !== "native") return [entry.path];
    const dir = dirname(entry.path);
    return nativeVariants(entry.file).map((file) => join(dir, basename(file)));
  });
}

export async function submitRun(controllerUrl: string, options: SubmitOptions): Promise<SubmittedRun> {
  const modules = options.modules ?? BUILTINS;
  // The plugins load here (to check the plan as the agents will) and travel as files with their manifests.
  const loaded = await loadPlanFileWithPlugins(options.planPath, options.env, { modules }, options.overrides);
  if (!loaded.ok) throw new ConfigError(formatIssues(loaded.issues).trimEnd());
  const { plan } = loaded;
  const text = planTextWithOverrides(plan.source, loaded.modules);
  const files: Record<string, Uint8Array> = {};
  try {
    for (const path of [...plan.files, ...pluginFiles(plan.source)]) files[sanitizeDataPath(path)] = readFileSync(join(plan.source.baseDir, sanitizeDataPath(path)));
    checkDataFiles(files);
  } catch (error) {
    if (error instanceof DataFileError) throw new ConfigError(error.message, "data files travel with the run: keep them beside the plan or below its directory");
    throw error;
  }
  // setup runs here, once for the whole run, before anything is submitted: the submitter is the
  // user's own machine (the controller never runs user code); its data and metrics travel with
  // the submission. teardown runs here too, when the run has ended (`SubmittedRun.teardown`).
  const hooks = hasOneTimeHooks(plan) ? await runSetup(plan, loaded.modules) : undefined;
  const client = new ControllerClient(controllerUrl, options.apiToken);
  const runId = await client.submit({
    ...(hooks ? { setup: { ...(hooks.started.setupJson !== undefined ? { data: hooks.started.setupJson } : {}), delta: JSON.stringify(hooks.delta) } } : {}),
    plan: text,
    planFile: options.planPath.split(/[\\/]/).pop() ?? "plan.yaml",
    files: Object.fromEntries(Object.entries(files).map(([p, b]) => [p, Buffer.from(b).toString("base64")])),
    env: referencedEnv(text, options.env),
    ...(loaded.manifests.length > 0 ? { plugins: loaded.manifests } : {}),
    ...(options.cluster ? { cluster: options.cluster } : {}),
  });
  const run = client.follow(runId);
  return hooks ? { ...run, teardown: hooks.started.teardown } : run;
}

/** Runs the hooks module's setup in this process; its metrics are summed into one delta. */
async function runSetup(plan: TestPlan, modules: Modules): Promise<{ started: Extract<StartedHooks, { ok: true }>; delta: MetricDelta }> {
  const registry = new MetricRegistry(plan.metrics);
  const aggregator = new DeltaAccumulator();
  const started = await startHooks(plan, { protocols: modules.protocols, registry, onDelta: (delta) => aggregator.add(delta), onWarning: (message) => process.stderr.write(`loadr: setup: ${message}\n`) });
  if (!started.ok) throw new LoadrError(`setup failed, no load was started: ${started.error}`, { code: "setup", exitCode: exitCodeOf("failed") });
  return { started, delta: aggregator.take() };
}
