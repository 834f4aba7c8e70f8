// The output registry: `--out NAME=ARGUMENT` looks NAME up here. One line per output; each entry
// is an `OutputModule` (outputs/types.ts) in its own file or folder.
import type { OutputModule } from "./types.ts";
import { jsonlOutput } from "./jsonl/index.ts";
import { csvOutput } from "./csv/index.ts";
import { statsdOutput } from "./statsd/index.ts";
import { influxdbOutput } from "./influxdb/index.ts";
import { otlpOutput } from "./otlp/index.ts";
import { prometheusScrapeOutput } from "./prometheus/index.ts";
import { prometheusRemoteWriteOutput } from "./prometheus-rw/index.ts";

export const OUTPUTS: Readonly<Record<string, OutputModule>> = {
  jsonl: jsonlOutput,
  csv: csvOutput,
  statsd: statsdOutput,
  influxdb: influxdbOutput,
  "prometheus-rw": prometheusRemoteWriteOutput,
  prometheus: prometheusScrapeOutput,
  otlp: otlpOutput,
};
