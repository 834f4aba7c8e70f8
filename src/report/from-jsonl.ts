// A report input from a JSONL results file (`--out jsonl=FILE`, outputs/jsonl/lines.ts; a gzip
// file, known by its magic bytes whatever its name, read through node:zlib), rebuilt without the run: the per-second timeline from the points
// (each second's whole-metric figures summed over its series), latency by request name and by
// group, checks, errors by tag and dropped iterations. A JSONL file carries no thresholds and no
// exit code, so the report has no verdict; trend percentiles of a second or a name are the
// count-weighted mean of its series' percentiles (model.ts `latencyApproximate`).
//
// Trust: the file is read as a stream, line by line; a line longer than MAX_LINE_CHARS, a line
// that is not a JSON object, or a Point without its fields is an error naming FILE:LINE; lines
// of another `type` are skipped (and counted in a note). Distinct names, groups and errors are
// bounded by MAX_KEYS.
import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import type { IntervalMetrics } from "../cluster/api-types.ts";
import type { ErrorRow, LatencyRow } from "../core/run/breakdown.ts";
import { LoadrError } from "../shared/errors.ts";
import type { ReportCheck, ReportFigure, ReportInput } from "./model.ts";

export const MAX_LINE_CHARS = 1024 * 1024;
export const MAX_KEYS = 10_000;

type Fields = Record<string, number>;

/** Sums one metric's series within a second (or over a name for the whole run). */
class Accumulator {
  type: string;
  count = 0;
  rate = 0;
  passes = 0;
  fails = 0;
  value = Number.NEGATIVE_INFINITY;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Trend: sums of field × count, for the count-weighted means. */
  weighted: Record<string, number> = {};

  constructor(type: string) {
    this.type = type;
  }

  add(data: Fields): void {
    switch (this.type) {
      case "counter":
        this.count += num(data.count);
        this.rate += num(data.rate);
        break;
      case "rate":
        this.passes += num(data.passes);
        this.fails += num(data.fails);
        break;
      case "gauge":
        this.value = Math.max(this.value, num(data.value));
        this.min = Math.min(this.min, num(data.min ?? data.value));
        this.max = Math.max(this.max, num(data.max ?? data.value));
        break;
      case "trend": {
        const n = num(data.count);
        if (n <= 0) break;
        this.count += n;
        this.min = Math.min(this.min, num(data.min));
        this.max = Math.max(this.max, num(data.max));
        for (const key of ["avg", "med", "p(90)", "p(95)", "p(99)"]) this.weighted[key] = (this.weighted[key] ?? 0) + num(data[key]) * n;
        break;
      }
    }
  }

  fields(): Fields | undefined {
    switch (this.type) {
      case "counter":
        return { count: this.count, rate: this.rate };
      case "rate": {
        const total = this.passes + this.fails;
        return total > 0 ? { rate: this.passes / total, passes: this.passes, fails: this.fails } : undefined;
      }
      case "gauge":
        return Number.isFinite(this.value) ? { value: this.value, min: this.min, max: this.max } : undefined;
      case "trend": {
        if (this.count === 0) return undefined;
        const mean = (key: string) => (this.weighted[key] ?? 0) / this.count;
        return { count: this.count, avg: mean("avg"), min: this.min, med: mean("med"), max: this.max, "p(90)": mean("p(90)"), "p(95)": mean("p(95)"), "p(99)": mean("p(99)") };
      }
    }
    return undefined;
  }
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

interface Point {
  metric: string;
  elapsedMs: number;
  time: string;
  tags: Record<string, string>;
  data: Fields;
}

export async function jsonlInput(path: string, now: number): Promise<ReportInput> {
  const types = new Map<string, string>();
  const seconds = new Map<number, Map<string, Accumulator>>();
  const byName = new Map<string, Accumulator>();
  const byGroup = new Map<string, Accumulator>();
  const checks = new Map<string, Accumulator>();
  const errors = new Map<string, Accumulator>();
  const errorNames = new Map<string, Map<string, number>>();
  const totals = new Map<string, Accumulator>();
  let startedAtUnixMs: number | undefined;
  let skipped = 0;
  let lineNo = 0;
  let keysCapped = false;

  const keyed = (map: Map<string, Accumulator>, key: string, type: string) => {
    let acc = map.get(key);
    if (!acc) {
      if (map.size >= MAX_KEYS) {
        keysCapped = true;
        return undefined;
      }
      acc = new Accumulator(type);
      map.set(key, acc);
    }
    return acc;
  };

  const stream = createReadStream(path);
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new LoadrError(`${path}: cannot read the results file (${(error as Error).message})`, { hint: "give the path of a file written by --out jsonl=FILE" });
  }
  const gzip = isGzip(path);
  const input = gzip ? stream.pipe(createGunzip()) : stream;
  const failed = new Promise<never>((_, reject) => input.once("error", (error: Error) => reject(new LoadrError(`${path}: cannot read the results file (${error.message})`, { hint: gzip ? "the file starts like gzip but does not decompress: is it complete?" : undefined }))));
  failed.catch(() => {});
  const lines = createInterface({ input, crlfDelay: Infinity });
  const where = () => `${path}:${lineNo}`;
  const read = (async () => {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === "") continue;
      if (line.length > MAX_LINE_CHARS) throw new LoadrError(`${where()}: the line is longer than ${MAX_LINE_CHARS} characters`, { hint: "is this a results file written by --out jsonl=FILE?" });
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        throw new LoadrError(`${where()}: not a JSON line`, { hint: "a results file of --out jsonl=FILE has one JSON object per line" });
      }
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw new LoadrError(`${where()}: expected a JSON object`);
      const e = entry as Record<string, unknown>;
      if (e.type === "Metric") {
        const data = e.data as { name?: unknown; type?: unknown } | undefined;
        if (typeof e.metric === "string" && typeof data?.type === "string") types.set(e.metric, data.type);
        continue;
      }
      if (e.type !== "Point") {
        skipped++;
        continue;
      }
      const point = pointOf(e);
      if (typeof point === "string") throw new LoadrError(`${where()}: ${point}`);
      const type = types.get(point.metric) ?? guessType(point.data);
      startedAtUnixMs ??= Date.parse(point.time) - point.elapsedMs;
      let second = seconds.get(point.elapsedMs);
      if (!second) {
        second = new Map();
        seconds.set(point.elapsedMs, second);
      }
      keyed(second, point.metric, type)?.add(point.data);
      keyed(totals, point.metric, type)?.add(point.data);
      const { name, group, error, check } = point.tags;
      const req = /^([a-z0-9]+)_(reqs|req_duration|req_failed)$/.exec(point.metric);
      if (req) {
        if (name !== undefined) keyed(byName, `${req[1]}\u0000${name}\u0000${req[2]}`, type)?.add(point.data);
        if (group !== undefined) keyed(byGroup, `${req[1]}\u0000${group}\u0000${req[2]}`, type)?.add(point.data);
        if (req[2] === "reqs" && error) {
          const key = `${req[1]}\u0000${error}`;
          keyed(errors, key, type)?.add(point.data);
          const names = errorNames.get(key) ?? new Map<string, number>();
          names.set(name ?? "", (names.get(name ?? "") ?? 0) + num(point.data.count));
          errorNames.set(key, names);
        }
      }
      if (point.metric === "checks" && check !== undefined) keyed(checks, `${group ?? ""}\u0000${check}`, "rate")?.add(point.data);
    }
  })();
  try {
    await Promise.race([read, failed]);
  } finally {
    lines.close();
    stream.destroy();
  }

  const series = [...seconds.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([elapsedMs, metrics]) => {
      const data: IntervalMetrics = {};
      for (const [metric, acc] of metrics) {
        const fields = acc.fields();
        if (fields) data[metric] = fields;
      }
      return { elapsedMs, data };
    });
  const notes: string[] = [];
  if (skipped > 0) notes.push(`${skipped} lines of another type than Metric or Point were skipped.`);
  if (keysCapped) notes.push(`More than ${MAX_KEYS} distinct request names, groups or errors: the rest are left out of the tables.`);
  const durationMs = series.at(-1)?.elapsedMs ?? 0;
  const total = (metric: string) => totals.get(metric)?.fields();
  return {
    source: "jsonl results",
    planName: basename(path).replace(/\.jsonl(\.gz)?$|\.gz$/, ""),
    series,
    ...(startedAtUnixMs !== undefined && Number.isFinite(startedAtUnixMs) ? { startedAtUnixMs } : {}),
    derived: {
      durationMs,
      latencyByName: latencyRows(byName),
      latencyByGroup: latencyRows(byGroup).sort((a, b) => a.protocol.localeCompare(b.protocol) || a.key.localeCompare(b.key)),
      checks: [...checks].map(([key, acc]): ReportCheck => {
        const [group, name] = key.split("\u0000") as [string, string];
        return { group, name, passes: acc.passes, fails: acc.fails };
      }),
      errors: [...errors].map(([key, acc]): ErrorRow => {
        const [protocol, error] = key.split("\u0000") as [string, string];
        const names = [...(errorNames.get(key) ?? [])].sort((a, b) => b[1] - a[1]).map(([n]) => n);
        return { protocol, error, count: acc.count, names: names.slice(0, 10) };
      }).sort((a, b) => b.count - a.count),
      droppedIterations: total("dropped_iterations")?.count ?? 0,
      figures: figures(totals, durationMs, total),
    },
    ...(notes.length > 0 ? { error: notes.join(" ") } : {}),
    generatedAtUnixMs: now,
  };
}

/** gzip's magic bytes 1f 8b. */
function isGzip(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

function pointOf(e: Record<string, unknown>): Point | string {
  if (typeof e.metric !== "string" || e.metric === "") return "a Point needs its metric";
  if (typeof e.elapsedMs !== "number" || !Number.isFinite(e.elapsedMs) || e.elapsedMs < 0) return "a Point needs elapsedMs (run time in ms)";
  if (typeof e.time !== "string") return "a Point needs its time";
  if (typeof e.data !== "object" || e.data === null) return "a Point needs its data";
  const tags = typeof e.tags === "object" && e.tags !== null ? (e.tags as Record<string, string>) : {};
  return { metric: e.metric, elapsedMs: e.elapsedMs, time: e.time, tags, data: e.data as Fields };
}

function guessType(data: Fields): string {
  if ("passes" in data) return "rate";
  if ("avg" in data) return "trend";
  if ("value" in data) return "gauge";
  return "counter";
}

function latencyRows(map: Map<string, Accumulator>): LatencyRow[] {
  const rows = new Map<string, LatencyRow>();
  const parts = [...map].map(([key, acc]) => ({ key: key.split("\u0000") as [string, string, string], acc }));
  for (const { key: [protocol, k, kind], acc } of parts) {
    if (kind !== "req_duration") continue;
    const duration = acc.fields();
    if (!duration) continue;
    rows.set(`${protocol}\u0000${k}`, { protocol, key: k, requests: duration.count ?? 0, duration });
  }
  for (const { key: [protocol, k, kind], acc } of parts) {
    const row = rows.get(`${protocol}\u0000${k}`);
    if (!row) continue;
    if (kind === "reqs") row.requests = acc.count;
    if (kind === "req_failed") {
      const f = acc.fields();
      if (f?.rate !== undefined) row.failedRate = f.rate;
    }
  }
  return [...rows.values()].sort((a, b) => b.requests - a.requests);
}

function figures(totals: Map<string, Accumulator>, durationMs: number, total: (m: string) => Fields | undefined): ReportFigure[] {
  let requests = 0;
  let passes = 0;
  let fails = 0;
  for (const [metric, acc] of totals) {
    if (/^[a-z0-9]+_reqs$/.test(metric) && acc.type === "counter") requests += acc.count;
    // A failed request is a pass of the `<p>_req_failed` rate (value 1), as k6.
    if (/^[a-z0-9]+_req_failed$/.test(metric) && acc.type === "rate") {
      passes += acc.passes;
      fails += acc.fails;
    }
  }
  const duration = total("http_req_duration");
  return [
    { label: "Requests", value: requests, unit: "count" },
    { label: "Requests per second", value: durationMs > 0 ? requests / (durationMs / 1000) : null, unit: "reqps" },
    { label: "Failed requests", value: passes + fails > 0 ? passes / (passes + fails) : null, unit: "percent" },
    { label: "Median latency (≈)", value: duration?.med ?? null, unit: "ms" },
    { label: "p95 latency (≈)", value: duration?.["p(95)"] ?? null, unit: "ms" },
    { label: "Iterations", value: total("iterations")?.count ?? null, unit: "count" },
    { label: "Most VUs", value: total("vus_max")?.max ?? total("vus")?.max ?? null, unit: "vus" },
  ];
}
