// A scenario's executor options → its ExecutorConfig, by the executor's own normalizer (k6's
// defaults, cross-field rules, `profile:` expansion) from the registry the caller passes.
import type { Path } from "../issues.ts";
import type { ExecutorConfig, ScenarioSpec } from "../plan.ts";
import type { PlanSyntax } from "../syntax.ts";
import type { NormalizeContext } from "./context.ts";

/** Defaults of the options every scenario has, whatever its executor (k6's). */
export const EXECUTOR_DEFAULTS = {
  gracefulStop: 30_000,
} as const;

/**
 * The executor's config, or undefined when `raw.executor` names no registered executor (the
 * schema reported that). Reports value-level problems through `ctx.issues`.
 */
export function normalizeExecutor(
  raw: Record<string, unknown>,
  path: Path,
  ctx: NormalizeContext,
  executors: PlanSyntax["executors"],
): ExecutorConfig | undefined {
  const type = raw.executor;
  if (typeof type !== "string" || !Object.hasOwn(executors, type)) return undefined;
  return executors[type]!.normalize(raw, path, ctx);
}

/** What a ScenarioSpec states about its executor's extent: its regular duration and most VUs. */
export function executorExtent(
  config: ExecutorConfig,
  executors: PlanSyntax["executors"],
): Pick<ScenarioSpec, "durationMs" | "maxVus"> {
  const syntax = executors[config.type]!;
  return { durationMs: syntax.durationMs(config), maxVus: syntax.maxVus(config) };
}
