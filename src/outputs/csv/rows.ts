// The rows of the CSV output, in k6's CSV columns (k6 `output/csv`): one row per series per
// interval, not per sample. Pure.
//
//   metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,
//   proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata
//
// - `timestamp`: the interval's end, unix seconds (k6's default `timeFormat`), as an integer.
// - `metric_value`: k6's per-sample values added up where that means something (outputs/jsonl/
//   lines.ts `pointValue`): a counter's count in the interval, a rate's passes (k6's non-zero
//   samples), a gauge's value, a trend's average over the interval.
// - `metadata`: the interval's other figures as k6 writes metadata, `key=value&key=value`: a
//   counter's `rate`; a rate's `rate`, `passes`, `fails`; a gauge's `min`, `max`; a trend's
//   `count`, `min`, `med`, `max`, `p(90)`, `p(95)`, `p(99)` (in its unit: ms for time). So a
//   trend is one row per series per interval, its average in `metric_value`, its count and
//   percentiles in `metadata`.
// - `extra_tags`: tags without a column of their own (the controller's `run_id` among them), `k=v&k=v`.
import { k6Fields } from "../../metrics/values.ts";
import { pointValue } from "../jsonl/lines.ts";
import type { OutputPoint } from "../series-view.ts";

export const CSV_COLUMNS = [
  "metric_name", "timestamp", "metric_value", "check", "error", "error_code", "expected_response", "group", "method", "name",
  "proto", "scenario", "service", "status", "subproto", "tls_version", "url", "extra_tags", "metadata",
] as const;

/** Tag columns, between metric_value and extra_tags. */
const TAG_COLUMNS = CSV_COLUMNS.slice(3, 17);

export const CSV_HEADER = CSV_COLUMNS.join(",") + "\n";

export function csvRow(point: OutputPoint, endUnixMs: number): string {
  const tags = point.tags;
  const extra = Object.entries(tags)
    .filter(([k]) => !(TAG_COLUMNS as readonly string[]).includes(k))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const fields = k6Fields(point.value);
  const value = pointValue(point.value);
  const metadata = Object.entries(fields)
    .filter(([k]) => !(point.value.type === "counter" && k === "count") && !(point.value.type === "gauge" && k === "value") && !(point.value.type === "trend" && k === "avg"))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const cells = [point.name, String(Math.floor(endUnixMs / 1000)), String(value), ...TAG_COLUMNS.map((c) => tags[c] ?? ""), extra, metadata];
  return cells.map(csvCell).join(",") + "\n";
}

/** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
