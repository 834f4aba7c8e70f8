// `thresholds:` → ThresholdSpec[]. Keys are `metric` or `metric{tag:value,...}`; each expression
// must parse and its aggregation must apply to the metric's type (config/threshold-expression.ts).
// The metric must be one the plan knows (`TestPlan.metrics`: core metrics, its protocols' …).
import type { Path } from "../issues.ts";
import type { ThresholdSpec } from "../plan.ts";
import type { MetricDefinition } from "../../metrics/types.ts";
import { checkAggregation, parseThresholdExpression } from "../threshold-expression.ts";
import { didYouMean } from "../suggest.ts";
import { bool, isRecord, ms, rec, type NormalizeContext } from "./context.ts";

const KEY = /^\s*([A-Za-z_][\w]*)\s*(?:\{(.*)\})?\s*$/;

/** `http_req_duration{scenario:burst}` → metric and tag filter, or an error message. */
export function parseThresholdKey(key: string): { metric: string; filter: Record<string, string> } | { error: string } {
  const match = KEY.exec(key);
  if (!match) return { error: `"${key}" is not a metric name or metric{tag:value,...}` };
  const filter: Record<string, string> = {};
  const tags = match[2];
  if (tags !== undefined) {
    for (const pair of tags.split(",")) {
      const sep = pair.indexOf(":");
      const tag = pair.slice(0, sep).trim();
      const value = pair.slice(sep + 1).trim();
      if (sep < 0 || !tag || !value) return { error: `"${key}": tag filters are written {tag:value,...}; "${pair.trim()}" is not` };
      filter[tag] = value;
    }
  }
  return { metric: match[1]!, filter };
}

export function normalizeThresholds(raw: unknown, ctx: NormalizeContext, metrics: readonly MetricDefinition[]): ThresholdSpec[] {
  const out: ThresholdSpec[] = [];
  const names = metrics.map((m) => m.name);
  for (const [key, value] of Object.entries(rec(raw))) {
    const keyPath: Path = ["thresholds", key];
    const parsed = parseThresholdKey(key);
    if ("error" in parsed) {
      ctx.issues.error(keyPath, parsed.error, { at: "key" });
      continue;
    }
    const metric = metrics.find((m) => m.name === parsed.metric);
    if (!metric) {
      ctx.issues.error(keyPath, `unknown metric "${parsed.metric}"${didYouMean(parsed.metric, names)}`, {
        at: "key",
        hint: `the metrics of this plan: ${names.join(", ")}; for a custom metric, declare it: metrics: { ${parsed.metric}: { type: trend } } (counter, rate, gauge or trend)`,
      });
    }
    const items = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
    items.forEach((item, i) => {
      const itemPath: Path = typeof value === "string" ? keyPath : [...keyPath, i];
      const entry = typeof item === "string" ? { threshold: item } : isRecord(item) ? item : undefined;
      if (!entry || typeof entry.threshold !== "string") return;
      const exprPath = typeof item === "string" ? itemPath : [...itemPath, "threshold"];
      const expression = parseThresholdExpression(entry.threshold);
      if ("error" in expression) {
        ctx.issues.error(exprPath, expression.error);
        return;
      }
      if (metric) {
        const problem = checkAggregation(expression.aggregation, metric.type, metric.name);
        if (problem) ctx.issues.error(exprPath, problem);
      }
      out.push({
        key,
        metric: parsed.metric,
        filter: parsed.filter,
        expression: entry.threshold.trim(),
        abortOnFail: bool(entry.abortOnFail, false),
        delayAbortEval: ms(entry.delayAbortEval, 0),
        loc: ctx.issues.locate(itemPath),
      });
    });
  }
  return out;
}
