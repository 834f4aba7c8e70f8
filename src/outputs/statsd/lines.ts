// StatsD lines for one interval, and their packing into datagrams. Pure.
//
// - Counters: `k6.http_reqs:12|c`, the exact count of the interval, never sampled (no `@rate`).
// - Rates: `k6.checks.passes:9|c` and `k6.checks.fails:1|c`, both exact.
// - Gauges: `k6.vus:5|g`.
// - Trends: gauges of the interval's figures, `k6.http_req_duration.avg:12.3|g` and `.min`,
//   `.med`, `.max`, `.p90`, `.p95`, `.p99` (ms for time), plus `k6.http_req_duration.count:12|c`.
//   Not `|ms` timings: a StatsD server computes its own percentiles from individual timings, and
//   loadr sends an interval's figures, not its samples (its percentiles are exact, from HDR).
// Plain StatsD has no tags: one set of lines per metric, from the interval's whole-metric figures
// (exact, percentiles included). With `dogstatsd: true`, one set per series with its tags
// (`|#name:login,status:200`). Names and tags lose the characters StatsD uses as separators.
import type { MetricValue } from "../../metrics/values.ts";
import type { Tags } from "../../metrics/types.ts";

/** Ethernet's 1500 bytes less IP/UDP headers and room for options: what StatsD clients use. */
export const MAX_PACKET_BYTES = 1432;

const clean = (s: string) => s.replace(/[:|@#,\s]/g, "_");

export function statsdLines(name: string, value: MetricValue, prefix: string, tags?: Readonly<Tags>): string[] {
  const base = `${prefix}${clean(name)}`;
  const suffix = tags && Object.keys(tags).length > 0 ? `|#${Object.entries(tags).map(([k, v]) => `${clean(k)}:${clean(v)}`).join(",")}` : "";
  const line = (metric: string, n: number, type: "c" | "g") => `${metric}:${number(n)}|${type}${suffix}`;
  switch (value.type) {
    case "counter":
      return [line(base, value.count, "c")];
    case "rate":
      return [line(`${base}.passes`, value.passes, "c"), line(`${base}.fails`, value.fails, "c")];
    case "gauge":
      return [line(base, value.value, "g")];
    case "trend":
      if (value.count === 0) return [];
      return [
        line(`${base}.count`, value.count, "c"),
        ...(["avg", "min", "med", "max", "p90", "p95", "p99"] as const).map((stat) => line(`${base}.${stat}`, value[stat], "g")),
      ];
  }
}

/** A number as StatsD reads it: no exponent. */
function number(n: number): string {
  if (!Number.isFinite(n)) return "0";
  if (Number.isInteger(n)) return String(n);
  const text = n.toFixed(6).replace(/\.?0+$/, "");
  return text === "-0" ? "0" : text;
}

/** Lines joined by "\n" into datagrams of at most `max` bytes; a longer line goes alone. */
export function packets(lines: readonly string[], max = MAX_PACKET_BYTES): Array<{ text: string; lines: number }> {
  const out: Array<{ text: string; lines: number }> = [];
  let text = "";
  let count = 0;
  let bytes = 0;
  for (const l of lines) {
    const size = Buffer.byteLength(l);
    if (count > 0 && bytes + 1 + size > max) {
      out.push({ text, lines: count });
      text = "";
      count = 0;
      bytes = 0;
    }
    text = count === 0 ? l : `${text}\n${l}`;
    bytes += count === 0 ? size : size + 1;
    count++;
  }
  if (count > 0) out.push({ text, lines: count });
  return out;
}
