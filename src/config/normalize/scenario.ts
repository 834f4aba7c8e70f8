// One entry of `scenarios:` → ScenarioSpec (the executor, common options, the flow).
import type { ScenarioSpec } from "../plan.ts";
import { EMPTY_SCOPE } from "../templates.ts";
import { isRecord, ms, rec, template, type Env, type NormalizeContext } from "./context.ts";
import { EXECUTOR_DEFAULTS, executorExtent, normalizeExecutor } from "./executor.ts";
import { httpVersionOf, type RequestDefaults } from "./request-defaults.ts";
import { flowContext, normalizeFlow } from "./steps.ts";
import { normalizeTags } from "./tags.ts";

/** `planTags`: the plan's top-level `tags:`, under the scenario's own. */
export function normalizeScenario(
  name: string,
  raw: unknown,
  ctx: NormalizeContext,
  defaults: RequestDefaults,
  planTags: Readonly<Record<string, string>>,
): ScenarioSpec | undefined {
  if (!isRecord(raw)) return undefined;
  const path = ["scenarios", name];
  // The scenario's env: values may use ${env.X} of the process; templates inside the scenario see both.
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(rec(raw.env))) {
    env[key] = template(ctx, value, [...path, "env", key], ctx.source.env, false).render(EMPTY_SCOPE);
  }
  const scenarioEnv: Env = { ...ctx.source.env, ...env };
  const tags = { ...planTags, ...normalizeTags(raw.tags, [...path, "tags"], ctx, scenarioEnv) };
  const executors = ctx.syntax.executors;
  const executor = normalizeExecutor(raw, path, ctx, executors);
  // `http:` on a scenario overrides `defaults.http` for its requests (a request's own still wins).
  const scenarioDefaults = raw.http === undefined ? defaults : { ...defaults, httpVersion: httpVersionOf(raw.http, defaults.httpVersion) };
  const flow = normalizeFlow(raw.flow, [...path, "flow"], flowContext(ctx, scenarioEnv, scenarioDefaults));
  if (!executor) return undefined;
  return {
    name,
    executor,
    ...executorExtent(executor, executors),
    startTime: ms(raw.startTime, 0),
    gracefulStop: ms(raw.gracefulStop, EXECUTOR_DEFAULTS.gracefulStop),
    env,
    tags,
    flow,
    loc: ctx.issues.locate(path, "key"),
  };
}
