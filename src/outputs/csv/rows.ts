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

const TAG_COLUMN_SET: ReadonlySet<string> = new Set(TAG_COLUMNS);
/** Fields that go to `metric_value` rather than `metadata`, by metric type. */
const VALUE_FIELD = { counter: "count", gauge: "value", trend: "avg", rate: "" } as const;

export function csvRow(point: OutputPoint, endUnixMs: number): string {
  const tags = point.tags;
  let extra = "";
  for (const k in tags) if (!TAG_COLUMN_SET.has(k)) extra += `${extra ? "&" : ""}${k}=${tags[k]}`;
  const skip = VALUE_FIELD[point.value.type];
  let metadata = "";
  const fields = k6Fields(point.value);
  for (const k in fields) if (k !== skip) metadata += `${metadata ? "&" : ""}${k}=${fields[k]}`;
  let row = `${csvCell(point.name)},${Math.floor(endUnixMs / 1000)},${pointValue(point.value)}`;
  for (const column of TAG_COLUMNS) row += `,${csvCell(tags[column] ?? "")}`;
  return `${row},${csvCell(extra)},${csvCell(metadata)}\n`;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
export function csvCell(text: string): string {
  return text !== "" && NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
