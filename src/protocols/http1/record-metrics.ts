// Records the k6 HTTP metrics of one exchange (one redirect hop) into the VU's MetricSink.
// Hot path: the tag objects are cached per (caller tags object, name, method, status, error),
// so a steady load allocates no tag objects. Cached tag objects are frozen: sinks may keep them.
import type { MetricSink, Tags } from "../../metrics/types.ts";
import type { HopResult } from "./connection.ts";

/** Distinct tag sets cached per caller tags object (beyond it, tags are built per request). */
const MAX_TAG_SETS_PER_BASE = 512;

const cache = new WeakMap<Tags, Map<string, Tags>>();

/** What recording needs of an exchange, whichever HTTP version carried it. */
export type RecordedHop = Pick<HopResult, "status" | "timings" | "bytesSent" | "bytesReceived" | "error">;

export function hopTags(base: Tags, name: string, method: string, status: number, error: string | undefined, proto?: string): Tags {
  let byKey = cache.get(base);
  if (byKey === undefined) {
    byKey = new Map();
    cache.set(base, byKey);
  }
  const head = proto === undefined ? `${status} ${method} ${name}` : `${status} ${method} ${name}\n${proto}`;
  const key = error === undefined ? head : `${head}\n\n${error}`;
  let tags = byKey.get(key);
  if (tags !== undefined) return tags;
  const built: Tags = { ...base, name, method, status: String(status) };
  if (error !== undefined) built.error = error;
  if (proto !== undefined) built.proto = proto;
  tags = Object.freeze(built);
  if (byKey.size < MAX_TAG_SETS_PER_BASE) byKey.set(key, tags);
  return tags;
}

/** k6's default expected statuses: 200–399 pass, anything else (and every error) fails. */
export function isFailed(status: number, error: string | undefined): boolean {
  return error !== undefined || status < 200 || status > 399;
}

/** `proto`, when given, is the `proto` tag (`HTTP/2.0`). */
export function recordHop(sink: MetricSink, base: Tags, name: string, method: string, hop: RecordedHop, errorCode?: string, proto?: string): void {
  const error = errorCode ?? hop.error?.code;
  const tags = hopTags(base, name, method, hop.status, error, proto);
  const t = hop.timings;
  sink.add("http_reqs", 1, tags);
  sink.add("http_req_duration", t.duration, tags);
  sink.add("http_req_blocked", t.blocked, tags);
  sink.add("http_req_connecting", t.connecting, tags);
  sink.add("http_req_tls_handshaking", t.tlsHandshaking, tags);
  sink.add("http_req_sending", t.sending, tags);
  sink.add("http_req_waiting", t.waiting, tags);
  sink.add("http_req_receiving", t.receiving, tags);
  // Rate: non-zero counts as a "pass" of the rate, i.e. a failed request (as in k6).
  sink.add("http_req_failed", isFailed(hop.status, error) ? 1 : 0, tags);
  sink.add("data_sent", hop.bytesSent, tags);
  sink.add("data_received", hop.bytesReceived, tags);
}
