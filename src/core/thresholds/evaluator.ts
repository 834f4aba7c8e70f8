// Evaluates the plan's thresholds against the aggregator. Called by the run loop (locally, or on
// the controller) about once a second and once at the end; pure apart from reading the
// aggregator, cheap (one query per threshold).
//
// No samples (k6's semantics): a metric (or sub-metric) without samples is evaluated as k6 reads
// it (metrics/values.ts `emptyValue`): a counter as count 0 and rate 0, a rate as rate 0 (no
// passes), so `dropped_iterations: ["count<1"]` passes when nothing was dropped. A trend or a
// gauge has no value: its threshold is not evaluated (`observed: null`, `noData: true`), passes,
// and the summary says so. Either way the result has `noSamples: true`, and such a threshold
// never aborts the run (abortOnFail): a metric without samples yet has crossed nothing.
import type { ThresholdSpec } from "../../config/plan.ts";
import type { Aggregator } from "../../metrics/aggregator.ts";
import { MetricRegistry } from "../../metrics/registry.ts";
import { emptyValue, type MetricValue } from "../../metrics/values.ts";
import { checkAggregation, compare, parseThresholdExpression, type Aggregation, type ThresholdExpression } from "../../config/threshold-expression.ts";

export interface ThresholdResult {
  /** As written, e.g. `http_req_duration{scenario:burst}`. */
  key: string;
  metric: string;
  filter: Record<string, string>;
  /** e.g. `p(95)<500`. */
  expression: string;
  /** The aggregation compared, as k6 names it: `p(95)`, `avg`, `rate`, `count`, `value` … */
  aggregation: string;
  /** For `p(N)` thresholds: N (the summary shows that percentile). */
  percentile?: number;
  ok: boolean;
  /** The aggregated value compared (ms for time trends, 0–1 for rates); null when there is no data. */
  observed: number | null;
  /** The metric had no samples (counters and rates were still evaluated, as zero). */
  noSamples: boolean;
  /** The metric had no samples and no value without them (a trend, a gauge): the threshold passes unevaluated. */
  noData: boolean;
  abortOnFail: boolean;
  delayAbortEval: number;
  /** Set when the threshold cannot be evaluated (aggregation does not fit the metric's type): it fails. */
  error?: string;
}

/** Which threshold stopped the run, and when (ms since start). */
export interface AbortDecision {
  key: string;
  expression: string;
  observed: number | null;
  atMs: number;
}

interface Compiled {
  spec: ThresholdSpec;
  expr: ThresholdExpression;
}

export class ThresholdEvaluator {
  readonly #compiled: Compiled[];

  /**
   * Throws, before the run starts, on an expression that does not parse or an aggregation that
   * does not fit a metric known to `registry` (config validation should have caught both).
   */
  constructor(specs: readonly ThresholdSpec[], registry: MetricRegistry = new MetricRegistry()) {
    this.#compiled = specs.map((spec) => {
      const expr = parseThresholdExpression(spec.expression);
      if ("error" in expr) throw new Error(`threshold ${spec.key}: ${expr.error}`);
      const def = registry.get(spec.metric);
      const mismatch = def && checkAggregation(expr.aggregation, def.type, spec.metric);
      if (mismatch) throw new Error(`threshold ${spec.key}: ${mismatch}`);
      return { spec, expr };
    });
  }

  get size(): number {
    return this.#compiled.length;
  }

  /** One result per threshold, in plan order. Never throws: a threshold that cannot be evaluated fails with `error`. */
  evaluate(aggregator: Aggregator, elapsedMs: number): ThresholdResult[] {
    return this.#compiled.map(({ spec, expr }) => {
      const sampled = aggregator.query(spec.metric, spec.filter, elapsedMs);
      const shape = aggregator.definition(spec.metric);
      const value = sampled ?? (shape ? emptyValue(shape, elapsedMs) : undefined);
      const noSamples = sampled === undefined;
      const base = {
        key: spec.key,
        metric: spec.metric,
        filter: spec.filter,
        expression: spec.expression,
        ...aggregationOf(expr.aggregation),
        abortOnFail: spec.abortOnFail,
        delayAbortEval: spec.delayAbortEval,
      };
      if (value === undefined) return { ...base, ok: true, observed: null, noSamples, noData: true };
      const mismatch = checkAggregation(expr.aggregation, value.type, spec.metric);
      if (mismatch) return { ...base, ok: false, observed: null, noSamples, noData: false, error: mismatch };
      const observed = aggregate(value, expr.aggregation);
      return { ...base, ok: compare(observed, expr.op, expr.value), observed, noSamples, noData: false };
    });
  }

  /**
   * The first failed `abortOnFail` threshold whose `delayAbortEval` has passed at `elapsedMs` and
   * whose metric has samples; undefined when the run should go on.
   */
  shouldAbort(results: readonly ThresholdResult[], elapsedMs: number): AbortDecision | undefined {
    for (const r of results) {
      if (r.abortOnFail && !r.ok && !r.noSamples && elapsedMs >= r.delayAbortEval) {
        return { key: r.key, expression: r.expression, observed: r.observed, atMs: elapsedMs };
      }
    }
    return undefined;
  }
}

function aggregationOf(aggregation: Aggregation): { aggregation: string; percentile?: number } {
  if (aggregation.kind !== "p") return { aggregation: aggregation.kind };
  return { aggregation: `p(${aggregation.percentile})`, percentile: aggregation.percentile };
}

/** The number a threshold compares, from a queried metric value. */
export function aggregate(value: MetricValue, aggregation: Aggregation): number {
  switch (value.type) {
    case "trend":
      switch (aggregation.kind) {
        case "avg":
          return value.avg;
        case "min":
          return value.min;
        case "max":
          return value.max;
        case "med":
          return value.med;
        case "count":
          return value.count;
        case "p":
          return value.percentile(aggregation.percentile);
      }
      break;
    case "counter":
      if (aggregation.kind === "count") return value.count;
      if (aggregation.kind === "rate") return value.rate;
      break;
    case "rate":
      if (aggregation.kind === "rate") return value.rate;
      break;
    case "gauge":
      if (aggregation.kind === "value") return value.value;
      break;
  }
  throw new Error(`aggregation ${aggregation.kind} does not apply to a ${value.type}`);
}
