// `loadr run plan.yaml --controller URL`: loads the plan locally (so config errors are reported
// exactly as for a local run), collects its data files, submits them to the controller's HTTP
// API, and follows the run's Server-Sent Events until it finishes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, LoadrError } from "../shared/errors.ts";
import { EXIT_INVALID_CONFIG } from "../shared/exit-codes.ts";
import { formatIssues } from "../config/issues.ts";
import { loadPlanFile } from "../config/load.ts";
import { BUILTINS } from "../builtins.ts";
import type { PlanSyntax } from "../config/syntax.ts";
import type { RunEventView, RunStatus, SubmitRequest } from "./api-types.ts";
import { checkDataFiles, DataFileError, sanitizeDataPath } from "./files.ts";

export interface SubmitOptions {
  planPath: string;
  env: Record<string, string | undefined>;
  apiToken?: string;
  /** Overrides of the plan's `cluster:` block. */
  cluster?: SubmitRequest["cluster"];
  /** What the plan may use, to check it before sending (default the built-ins). */
  modules?: PlanSyntax;
}

export interface RunResult {
  /** The end-of-run Summary (src/outputs/summary.ts), as the controller built it. */
  summary: unknown;
  exitCode: number;
  status: RunStatus;
  error?: string;
}

export interface SubmittedRun {
  runId: string;
  /** Live events until (and including) `finished`. Iterate once. */
  events: AsyncIterable<RunEventView>;
  result: Promise<RunResult>;
}

/** Only the variables the plan mentions travel to the controller (`${env.NAME}`). */
export function referencedEnv(text: string, env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/\$\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const value = env[m[1]!];
    if (value !== undefined) out[m[1]!] = value;
  }
  return out;
}

function headers(apiToken?: string): Record<string, string> {
  return { "content-type": "application/json", ...(apiToken ? { authorization: `Bearer ${apiToken}` } : {}) };
}

export async function submitRun(controllerUrl: string, options: SubmitOptions): Promise<SubmittedRun> {
  const base = controllerUrl.replace(/\/+$/, "");
  const loaded = await loadPlanFile(options.planPath, options.env, { modules: options.modules ?? BUILTINS });
  if (!loaded.ok) throw new ConfigError(formatIssues(loaded.issues).trimEnd());
  const { plan } = loaded;
  const files: Record<string, Uint8Array> = {};
  try {
    for (const path of plan.files) files[sanitizeDataPath(path)] = readFileSync(join(plan.source.baseDir, sanitizeDataPath(path)));
    checkDataFiles(files);
  } catch (error) {
    if (error instanceof DataFileError) throw new ConfigError(error.message, "data files travel with the run: keep them beside the plan or below its directory");
    throw error;
  }
  const body: SubmitRequest = {
    plan: plan.source.text,
    planFile: options.planPath.split(/[\\/]/).pop() ?? "plan.yaml",
    files: Object.fromEntries(Object.entries(files).map(([p, b]) => [p, Buffer.from(b).toString("base64")])),
    env: referencedEnv(plan.source.text, options.env),
    ...(options.cluster ? { cluster: options.cluster } : {}),
  };
  let response: Response;
  try {
    response = await fetch(`${base}/api/runs`, { method: "POST", headers: headers(options.apiToken), body: JSON.stringify(body) });
  } catch (error) {
    throw new LoadrError(`cannot reach the controller at ${base}: ${(error as Error).message}`, { hint: "is `loadr controller --http ...` running there?" });
  }
  const answer = (await response.json().catch(() => ({}))) as { id?: string; error?: string; hint?: string };
  if (response.status === 401) throw new LoadrError(`the controller at ${base} wants an API token`, { hint: "pass --api-token (the controller's --api-token)" });
  if (!response.ok || !answer.id) {
    throw new LoadrError(`the controller refused the run: ${answer.error ?? `HTTP ${response.status}`}`, {
      ...(answer.hint ? { hint: answer.hint } : {}),
      exitCode: response.status === 422 ? EXIT_INVALID_CONFIG : 1,
    });
  }
  return followRun(base, answer.id, options.apiToken);
}

/** Follows an existing run's events (also used by `loadr control … --follow`). */
export function followRun(base: string, runId: string, apiToken?: string): SubmittedRun {
  const queue: RunEventView[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let resolveResult!: (r: RunResult) => void;
  let rejectResult!: (e: Error) => void;
  const result = new Promise<RunResult>((res, rej) => {
    resolveResult = res;
    rejectResult = rej;
  });
  result.catch(() => {});
  const push = (event: RunEventView) => {
    queue.push(event);
    wake?.();
  };
  void (async () => {
    try {
      const response = await fetch(`${base}/api/runs/${runId}/events`, { headers: headers(apiToken) });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      const decoder = new TextDecoder();
      let buffer = "";
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
          if (!data) continue;
          const event = JSON.parse(data) as RunEventView;
          push(event);
          if (event.type === "finished") {
            resolveResult({ summary: event.summary, exitCode: event.exitCode, status: event.status, ...(event.error ? { error: event.error } : {}) });
            return;
          }
        }
      }
      throw new Error("the event stream ended before the run finished");
    } catch (error) {
      rejectResult(new LoadrError(`lost the run's live events from ${base}: ${(error as Error).message}`, { hint: `the run goes on; see ${base}/api/runs/${runId}` }));
    } finally {
      ended = true;
      wake?.();
    }
  })();
  const events: AsyncIterable<RunEventView> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length > 0) yield queue.shift()!;
        if (ended) return;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    },
  };
  return { runId, events, result };
}
