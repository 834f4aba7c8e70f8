// Records the k6 HTTP metrics of one exchange (one redirect hop) into the VU's MetricSink.
// Hot path: the tag objects are cached per (caller tags object, name, method, status, error),
// so a steady load allocates no tag objects; the set used last per caller tags object is checked
// first, without building a key. Cached tag objects are frozen: sinks may keep them. Samples go
// through the eleven handles of the hop's tag set (metrics/types.ts `seriesOf`), resolved once per
// (sink, tag set): a MetricStore records them with no lookup per sample.
import { seriesOf, type MetricSink, type SeriesHandle, type Tags } from "../../metrics/types.ts";
import type { RequestTimings } from "../types.ts";
import type { RequestError } from "./errors.ts";

/** Distinct tag sets cached per caller tags object (beyond it, tags are built per request). */
const MAX_TAG_SETS_PER_BASE = 512;

/** What is recorded of one exchange (connection.ts builds it as the hop's response). */
export interface HopRecord {
  status: number;
  timings: RequestTimings;
  bytesSent: number;
  bytesReceived: number;
  error?: RequestError;
}

interface BaseCache {
  byKey: Map<string, Tags>;
  // The set returned last, and what it was for.
  name: string;
  method: string;
  status: number;
  error: string | undefined;
  proto: string | undefined;
  tags: Tags | undefined;
}

const cache = new WeakMap<Tags, BaseCache>();
// The caller tags object looked up last, and its cache (most requests repeat it: no WeakMap lookup).
let lastBase: Tags | undefined;
let lastCache: BaseCache | undefined;

/** `proto`, when given, is added as the `proto` tag (`HTTP/2.0`). */
export function hopTags(base: Tags, name: string, method: string, status: number, error: string | undefined, proto?: string): Tags {
  let c = base === lastBase ? lastCache : cache.get(base);
  if (c === undefined) {
    c = { byKey: new Map(), name: "", method: "", status: 0, error: undefined, proto: undefined, tags: undefined };
    cache.set(base, c);
  }
  lastBase = base;
  lastCache = c;
  if (c.tags !== undefined && c.status === status && c.error === error && c.name === name && c.method === method && c.proto === proto) {
    return c.tags;
  }
  const head = proto === undefined ? `${status} ${method} ${name}` : `${status} ${method} ${name}\n${proto}`;
  const key = error === undefined ? head : `${head}\n\n${error}`;
  let tags = c.byKey.get(key);
  if (tags === undefined) {
    const built: Tags = { ...base, name, method, status: String(status) };
    if (error !== undefined) built.error = error;
    if (proto !== undefined) built.proto = proto;
    tags = Object.freeze(built);
    if (c.byKey.size >= MAX_TAG_SETS_PER_BASE) return tags;
    c.byKey.set(key, tags);
  }
  c.name = name;
  c.method = method;
  c.status = status;
  c.error = error;
  c.proto = proto;
  c.tags = tags;
  return tags;
}

/** k6's default expected statuses: 200–399 pass, anything else (and every error) fails. */
export function isFailed(status: number, error: string | undefined): boolean {
  return error !== undefined || status < 200 || status > 399;
}

/** The eleven series of one hop's tag set in one sink, resolved once (MetricSink.series). */
class HopSeries {
  readonly reqs: SeriesHandle;
  readonly duration: SeriesHandle;
  readonly blocked: SeriesHandle;
  readonly connecting: SeriesHandle;
  readonly tlsHandshaking: SeriesHandle;
  readonly sending: SeriesHandle;
  readonly waiting: SeriesHandle;
  readonly receiving: SeriesHandle;
  readonly failed: SeriesHandle;
  readonly sent: SeriesHandle;
  readonly received: SeriesHandle;

  constructor(sink: MetricSink, tags: Tags) {
    this.reqs = seriesOf(sink, "http_reqs", tags);
    this.duration = seriesOf(sink, "http_req_duration", tags);
    this.blocked = seriesOf(sink, "http_req_blocked", tags);
    this.connecting = seriesOf(sink, "http_req_connecting", tags);
    this.tlsHandshaking = seriesOf(sink, "http_req_tls_handshaking", tags);
    this.sending = seriesOf(sink, "http_req_sending", tags);
    this.waiting = seriesOf(sink, "http_req_waiting", tags);
    this.receiving = seriesOf(sink, "http_req_receiving", tags);
    this.failed = seriesOf(sink, "http_req_failed", tags);
    this.sent = seriesOf(sink, "data_sent", tags);
    this.received = seriesOf(sink, "data_received", tags);
  }
}

/** Handles per sink, per (frozen, cached) tag set; the pair used last is checked first. */
const hopSeries = new WeakMap<MetricSink, WeakMap<Tags, HopSeries>>();
let lastSink: MetricSink | undefined;
let lastTags: Tags | undefined;
let lastSeries: HopSeries | undefined;

function hopSeriesOf(sink: MetricSink, tags: Tags): HopSeries {
  if (sink === lastSink && tags === lastTags) return lastSeries!;
  let bySink = hopSeries.get(sink);
  if (bySink === undefined) hopSeries.set(sink, (bySink = new WeakMap()));
  let series = bySink.get(tags);
  if (series === undefined) bySink.set(tags, (series = new HopSeries(sink, tags)));
  lastSink = sink;
  lastTags = tags;
  lastSeries = series;
  return series;
}

/**
 * Records one hop: http_reqs, the seven phase timings, http_req_failed, data_sent, data_received.
 * `proto`, when given, is the `proto` tag (`HTTP/2.0`).
 */
export function recordHop(sink: MetricSink, base: Tags, name: string, method: string, hop: HopRecord, errorCode?: string, proto?: string): void {
  const error = errorCode ?? hop.error?.code;
  const tags = hopTags(base, name, method, hop.status, error, proto);
  const t = hop.timings;
  // Rate: non-zero counts as a "pass" of the rate, i.e. a failed request (as in k6).
  const failed = isFailed(hop.status, error) ? 1 : 0;
  const series = hopSeriesOf(sink, tags);
  series.reqs.add(1);
  series.duration.add(t.duration);
  series.blocked.add(t.blocked);
  series.connecting.add(t.connecting);
  series.tlsHandshaking.add(t.tlsHandshaking);
  series.sending.add(t.sending);
  series.waiting.add(t.waiting);
  series.receiving.add(t.receiving);
  series.failed.add(failed);
  series.sent.add(hop.bytesSent);
  series.received.add(hop.bytesReceived);
}
