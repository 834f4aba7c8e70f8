// Parses a threshold expression in k6's syntax: `p(95)<500`, `rate>0.99`, `avg<=200`, `count>10`.
import type { MetricType } from "../metrics/types.ts";

export type Aggregation =
  | { kind: "avg" | "min" | "max" | "med" | "count" | "rate" | "value" }
  | { kind: "p"; percentile: number };

export type Comparison = "<" | "<=" | ">" | ">=" | "==" | "===" | "!=";

export interface ThresholdExpression {
  source: string;
  aggregation: Aggregation;
  op: Comparison;
  value: number;
}

/** Which aggregations each metric type offers (as in k6). */
export const AGGREGATIONS_BY_TYPE: Record<MetricType, readonly string[]> = {
  trend: ["avg", "min", "max", "med", "p(N)", "count"],
  counter: ["count", "rate"],
  rate: ["rate"],
  gauge: ["value"],
};

const PATTERN = /^\s*(avg|min|max|med|count|rate|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/;

/** Returns the parsed expression, or a message saying what is wrong and what would be right. */
export function parseThresholdExpression(source: string): ThresholdExpression | { error: string } {
  const match = PATTERN.exec(source);
  if (!match) {
    return {
      error: `threshold "${source}" is not an expression like "p(95)<500", "avg<=200", "rate>0.99" or "count>10"`,
    };
  }
  const [, aggText, percentileText, op, valueText] = match;
  let aggregation: Aggregation;
  if (percentileText !== undefined) {
    const percentile = Number(percentileText);
    if (!(percentile >= 0 && percentile <= 100)) {
      return { error: `threshold "${source}": percentile ${percentileText} must be between 0 and 100` };
    }
    aggregation = { kind: "p", percentile };
  } else {
    aggregation = { kind: aggText as Exclude<Aggregation["kind"], "p"> };
  }
  return { source, aggregation, op: op as Comparison, value: Number(valueText) };
}

/** Whether `aggregation` applies to a metric of `type`; an error message if not. */
export function checkAggregation(aggregation: Aggregation, type: MetricType, metric: string): string | undefined {
  const name = aggregation.kind === "p" ? "p(N)" : aggregation.kind;
  if (AGGREGATIONS_BY_TYPE[type].includes(name)) return undefined;
  return `${name} does not apply to ${metric}, a ${type}; use one of ${AGGREGATIONS_BY_TYPE[type].join(", ")}`;
}

export function compare(observed: number, op: Comparison, value: number): boolean {
  switch (op) {
    case "<":
      return observed < value;
    case "<=":
      return observed <= value;
    case ">":
      return observed > value;
    case ">=":
      return observed >= value;
    case "==":
    case "===":
      return observed === value;
    case "!=":
      return observed !== value;
  }
}
