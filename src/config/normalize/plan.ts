// The whole plan: defaults, data, scenarios, thresholds, cluster. Runs after the schema check,
// on the same raw data, and adds the problems only values reveal (templates, files, metrics).
import { basename, extname } from "node:path";
import type { ClusterSpec, ScenarioSpec, TestPlan } from "../plan.ts";
import { metricsOf } from "../registered.ts";
import { didYouMean } from "../suggest.ts";
import { EMPTY_SCOPE } from "../templates.ts";
import { isAbsoluteUrl } from "../url.ts";
import { loadFeeds } from "./data.ts";
import { arr, isRecord, ms, num, rec, str, template, type NormalizeContext } from "./context.ts";
import { normalizeDefaults } from "./request-defaults.ts";
import { normalizeScenario } from "./scenario.ts";
import { normalizeTags } from "./tags.ts";
import { HOOK_ERRORS_METRIC, hooksInfo, normalizeHooks, normalizeMetrics } from "./hooks.ts";
import { normalizeThresholds } from "./thresholds.ts";

/** `agents: 0` means every idle agent matching the selector, as without a `cluster:` block. */
export const CLUSTER_DEFAULTS = { agents: 0, wait: 30_000, startTimeout: 30_000, onAgentLoss: "continue" } as const;

export function normalizePlan(raw: unknown, ctx: NormalizeContext): TestPlan {
  const top = rec(raw);
  const env = ctx.source.env;
  const baseUrl = template(ctx, top.baseUrl, ["baseUrl"], env, false).render(EMPTY_SCOPE);
  if (baseUrl !== "" && !hasHost(baseUrl)) {
    ctx.issues.error(["baseUrl"], `baseUrl "${baseUrl}" is not an absolute URL`, { hint: "e.g. http://localhost:8080" });
  }
  const data = loadFeeds(top.data, ctx);
  const defaults = normalizeDefaults(top.defaults, ctx);
  const tags = normalizeTags(top.tags, ["tags"], ctx, env);
  const hooks = normalizeHooks(top.hooks, ctx);
  if (hooks) ctx.hooks = hooksInfo(hooks, ctx);
  else if (top.hooks !== undefined) ctx.hooks = { module: "", where: "" }; // unreadable: reported; steps are not checked against it
  const scenarios: ScenarioSpec[] = [];
  for (const [name, scenario] of Object.entries(rec(top.scenarios))) {
    const spec = normalizeScenario(name, scenario, ctx, defaults, tags);
    if (spec) scenarios.push(spec);
  }
  const builtIn = metricsOf(ctx.syntax);
  const metrics = [...builtIn, ...normalizeMetrics(top.metrics, ctx, builtIn), ...(top.hooks !== undefined ? [HOOK_ERRORS_METRIC] : [])];
  const plan: TestPlan = {
    name: str(top.name) ?? basename(ctx.source.file, extname(ctx.source.file)),
    source: ctx.source,
    baseUrl,
    data,
    scenarios,
    thresholds: normalizeThresholds(top.thresholds, ctx, metrics),
    files: ctx.files,
    metrics,
  };
  if (hooks) plan.hooks = hooks;
  const trendStats = arr(top.summaryTrendStats).filter((stat): stat is string => typeof stat === "string");
  if (trendStats.length > 0) plan.summaryTrendStats = trendStats;
  const cluster = normalizeCluster(top.cluster, Object.keys(rec(top.scenarios)), ctx);
  if (cluster) plan.cluster = cluster;
  return plan;
}

/** An absolute URL with a host after `scheme://`. */
function hasHost(url: string): boolean {
  if (!isAbsoluteUrl(url)) return false;
  const host = url.slice(url.indexOf("://") + 3);
  return host !== "" && !host.startsWith("/");
}

function normalizeCluster(raw: unknown, scenarioNames: string[], ctx: NormalizeContext): ClusterSpec | undefined {
  if (!isRecord(raw)) return undefined;
  const labels = (value: unknown): Record<string, string> =>
    Object.fromEntries(Object.entries(rec(value)).map(([k, v]) => [k, str(v) ?? ""]));
  const scenarios: Record<string, Record<string, string>> = {};
  for (const [name, selector] of Object.entries(rec(raw.scenarios))) {
    if (!scenarioNames.includes(name)) {
      ctx.issues.error(["cluster", "scenarios", name], `no scenario "${name}"${didYouMean(name, scenarioNames)}`, {
        at: "key",
        hint: `scenarios: ${scenarioNames.join(", ")}`,
      });
    }
    scenarios[name] = labels(selector);
  }
  return {
    agents: num(raw.agents, CLUSTER_DEFAULTS.agents),
    wait: ms(raw.wait, CLUSTER_DEFAULTS.wait),
    startTimeout: ms(raw.startTimeout, CLUSTER_DEFAULTS.startTimeout),
    selector: labels(raw.selector),
    onAgentLoss: raw.onAgentLoss === "abort" ? "abort" : CLUSTER_DEFAULTS.onAgentLoss,
    scenarios,
  };
}
