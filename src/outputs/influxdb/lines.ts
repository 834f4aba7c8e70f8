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

const MEASUREMENT_SPECIAL = /[,\s\\]/;
const KEY_SPECIAL = /[,=\s\\]/;
const escapeMeasurement = (s: string) => (MEASUREMENT_SPECIAL.test(s) ? s.replace(/\n/g, " ").replace(/[,\s\\]/g, (c) => `\\${c}`) : s);
const escapeKey = (s: string) => (KEY_SPECIAL.test(s) ? s.replace(/\n/g, " ").replace(/[,=\s\\]/g, (c) => `\\${c}`) : s);

export function lineOf(point: OutputPoint, endUnixMs: number): string {
  let line = escapeMeasurement(point.name);
  const names = Object.keys(point.tags).sort();
  for (const k of names) {
    const v = point.tags[k]!;
    if (k !== "" && v !== "") line += `,${escapeKey(k)}=${escapeKey(v)}`;
  }
  line += ` value=${field(pointValue(point.value))}`;
  const fields = k6Fields(point.value);
  for (const k in fields) {
    if (k === "value") continue;
    const v = fields[k]!;
    if (Number.isFinite(v)) line += `,${k.charCodeAt(0) === 112 && k.charCodeAt(1) === 40 ? `p${k.slice(2, -1)}` : k}=${v}`;
  }
  return `${line} ${Math.round(endUnixMs)}`;
}

/** A float field (no `i` suffix: integers would make the field an integer one); 0 for a non-finite value. */
function field(v: number): string {
  return Number.isFinite(v) ? String(v) : "0";
}
