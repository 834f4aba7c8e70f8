// The whole plan: defaults, data, scenarios, thresholds, cluster. Runs after the schema check,
// on the same raw data, and adds the problems only values reveal (templates, files, metrics).
import { basename, extname } from "node:path";
import type { ClusterSpec, ScenarioSpec, TestPlan, TlsSpec } from "../plan.ts";
import { didYouMean } from "../suggest.ts";
import { loadFeeds } from "./data.ts";
import { addFile, bool, isRecord, ms, num, rec, str, template, type NormalizeContext } from "./context.ts";
import type { RequestDefaults } from "./request.ts";
import { normalizeScenario } from "./scenario.ts";
import { normalizeThresholds } from "./thresholds.ts";

export const REQUEST_DEFAULTS = { timeout: 60_000, connectTimeout: 10_000, maxRedirects: 10 } as const;
/** `agents: 0` means every idle agent matching the selector, as without a `cluster:` block. */
export const CLUSTER_DEFAULTS = { agents: 0, wait: 30_000, onAgentLoss: "continue" } as const;

export function normalizePlan(raw: unknown, ctx: NormalizeContext): TestPlan {
  const top = rec(raw);
  const env = ctx.source.env;
  const baseUrl = template(ctx, top.baseUrl, ["baseUrl"], env, false).render(EMPTY_SCOPE);
  if (baseUrl !== "" && !/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(baseUrl)) {
    ctx.issues.error(["baseUrl"], `baseUrl "${baseUrl}" is not an absolute URL`, { hint: "e.g. http://localhost:8080" });
  }
  const data = loadFeeds(top.data, ctx);
  const defaults = normalizeDefaults(top.defaults, ctx);
  const scenarios: ScenarioSpec[] = [];
  for (const [name, scenario] of Object.entries(rec(top.scenarios))) {
    const spec = normalizeScenario(name, scenario, ctx, defaults);
    if (spec) scenarios.push(spec);
  }
  const plan: TestPlan = {
    name: str(top.name) ?? basename(ctx.source.file, extname(ctx.source.file)),
    source: ctx.source,
    baseUrl,
    data,
    scenarios,
    thresholds: normalizeThresholds(top.thresholds, ctx),
    files: ctx.files,
  };
  const cluster = normalizeCluster(top.cluster, Object.keys(rec(top.scenarios)), ctx);
  if (cluster) plan.cluster = cluster;
  return plan;
}

function normalizeDefaults(raw: unknown, ctx: NormalizeContext): RequestDefaults {
  const d = rec(raw);
  const env = ctx.source.env;
  const headers = Object.entries(rec(d.headers)).map(
    ([name, value]) => [name.toLowerCase(), template(ctx, value, ["defaults", "headers", name], env)] as [string, ReturnType<typeof template>],
  );
  const tlsRaw = rec(d.tls);
  const tls: TlsSpec = { insecure: bool(d.insecure, false) };
  const ca = str(tlsRaw.ca);
  if (ca !== undefined) {
    addFile(ctx, ca);
    const read = ctx.planFiles.readText(ca, "CA file");
    if (read.ok) tls.ca = read.text;
    else ctx.issues.error(["defaults", "tls", "ca"], read.message, { hint: read.hint });
  }
  const serverName = str(tlsRaw.serverName);
  if (serverName !== undefined) tls.serverName = serverName;
  return {
    headers,
    timeout: ms(d.timeout, REQUEST_DEFAULTS.timeout),
    connectTimeout: ms(d.connectTimeout, REQUEST_DEFAULTS.connectTimeout),
    maxRedirects: num(d.maxRedirects, REQUEST_DEFAULTS.maxRedirects),
    tls,
  };
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
    selector: labels(raw.selector),
    onAgentLoss: raw.onAgentLoss === "abort" ? "abort" : CLUSTER_DEFAULTS.onAgentLoss,
    scenarios,
  };
}

const EMPTY_SCOPE = { vars: {}, data: {}, vu: 0, iteration: 0, scenario: "" };
