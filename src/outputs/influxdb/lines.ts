// InfluxDB line protocol for one point (a series over an interval). Pure.
//
//   http_reqs,name=login,status=200 value=12,count=12,rate=12 1735689601000
//
// Measurement: the metric's name. Tags: the series' tags (and the controller's `run_id`).
// Fields, all floats (one type per field whatever the point): `value` (k6's per-sample values
// added up: outputs/jsonl/lines.ts `pointValue`, so `SUM(value)` of http_reqs is the request
// count, as with k6's InfluxDB output), then the interval's k6 figures: counters `count`, `rate`;
// rates `rate`, `passes`, `fails`; gauges `value`, `min`, `max`; trends `count`, `avg`, `min`,
// `med`, `max`, `p90`, `p95`, `p99` (ms for time). Timestamp: the interval's end, in ms
// (`precision=ms`).
import { k6Fields } from "../../metrics/values.ts";
import { pointValue } from "../jsonl/lines.ts";
import type { OutputPoint } from "../series-view.ts";

const escapeMeasurement = (s: string) => s.replace(/[,\s\\]/g, (c) => `\\${c === "\n" ? "n" : c}`).replace(/\n/g, "\\n");
const escapeKey = (s: string) => s.replace(/[,=\s\\]/g, (c) => `\\${c}`);

export function lineOf(point: OutputPoint, endUnixMs: number): string {
  const tags = Object.entries(point.tags)
    .filter(([k, v]) => k !== "" && v !== "")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `,${escapeKey(k)}=${escapeKey(v.replace(/\n/g, " "))}`)
    .join("");
  const fields: Array<[string, number]> = [["value", pointValue(point.value)]];
  for (const [k, v] of Object.entries(k6Fields(point.value))) {
    if (k === "value") continue;
    fields.push([k.replace(/^p\((\d+)\)$/, "p$1"), v]);
  }
  const fieldText = fields
    .filter(([, v]) => Number.isFinite(v))
    .map(([k, v]) => `${escapeKey(k)}=${float(v)}`)
    .join(",");
  return `${escapeMeasurement(point.name)}${tags} ${fieldText} ${Math.round(endUnixMs)}`;
}

/** A float field: integers get no `i` suffix (that would make them integers). */
function float(v: number): string {
  return String(v);
}
