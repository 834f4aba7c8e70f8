// One SSE stream of a VU: a GET with `accept: text/event-stream` on Bun's `fetch`, its body read
// as it streams. Why fetch and not the HTTP/1.1 client of src/protocols/http1/: that client
// resolves a request once its whole body has arrived (session.ts `send`), which a stream never
// does; fetch streams the body, and the timings an SSE step reports (to the response head, to the
// first event) are points on that stream that fetch shows as well. What fetch hides: connect and
// TLS phases (inside `sse_connecting`) and the request's bytes (`data_sent` is not recorded).
//
// Contract: `readStream` always resolves (never throws), within `timeout` of its start or
// promptly after `signal` aborts, and releases its connection (no keep-alive reuse: a stream
// leaves no socket behind). It reads until `events` events arrived, the stream ends, or the
// timeout (events past that many in the same chunk are not read): with `events` set, an end or a timeout before that many is a failure (`closed`,
// `timeout`); without it, both are the normal end. Each event counts at arrival (`sse_events`).
import type { Ms, TlsSpec } from "../../config/plan.ts";
import type { MetricSink, Tags } from "../../metrics/types.ts";
import { connectFailure, SSE_ABORTED, SSE_CLOSED, SSE_MALFORMED, SSE_STATUS, SSE_TIMEOUT, sseError, type SseError } from "./errors.ts";
import { SseEventParser, type SseEvent } from "./event-parser.ts";

/** Longest line or event data a stream may send (characters). */
export const MAX_EVENT_CHARS = 1024 * 1024;
/** Distinct event names counted by name; further names count under OTHER_EVENTS. */
const MAX_EVENT_NAMES = 100;
const OTHER_EVENTS = "(other)";

export interface SseRequest {
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly tls: TlsSpec;
  readonly timeout: Ms;
  /** Stop after this many events; undefined: read until the stream ends or the timeout. */
  readonly events: number | undefined;
}

export interface SseOutcome {
  /** The response's status; 0 when none arrived. */
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Record<string, string[]>;
  /** Start to the response head, ms (0 when none arrived). */
  readonly connectMs: number;
  readonly durationMs: number;
  readonly events: number;
  /** Events by name (bounded, see MAX_EVENT_NAMES). */
  readonly byName: ReadonlyMap<string, number>;
  readonly last: SseEvent | undefined;
  readonly error: SseError | undefined;
}

const headersOf = (response: Response): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  response.headers.forEach((value, name) => (out[name] ??= []).push(value));
  return out;
};

export async function readStream(request: SseRequest, tags: Tags, metrics: MetricSink, signal: AbortSignal, track: (controller: AbortController) => () => void): Promise<SseOutcome> {
  const startedAt = performance.now();
  const controller = new AbortController();
  const untrack = track(controller);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeout);
  const onAbort = () => controller.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  if (signal.aborted) controller.abort();

  let status = 0;
  let headers: Record<string, string[]> = {};
  let connectMs = 0;
  let events = 0;
  const byName = new Map<string, number>();
  let last: SseEvent | undefined;
  const wanted = request.events;
  const onEvent = (event: SseEvent) => {
    // Events past `wanted` in the chunk that completed it are not read (the stream ends there).
    if (wanted !== undefined && events >= wanted) return;
    if (events === 0) metrics.add("sse_time_to_first_event", performance.now() - startedAt, tags);
    events++;
    last = event;
    const name = byName.has(event.event) || byName.size < MAX_EVENT_NAMES ? event.event : OTHER_EVENTS;
    byName.set(name, (byName.get(name) ?? 0) + 1);
    metrics.add("sse_events", 1, tags);
  };
  const done = (error: SseError | undefined): SseOutcome => ({ status, headers, connectMs, durationMs: performance.now() - startedAt, events, byName, last, error });
  const interrupted = (): SseError | undefined => {
    if (signal.aborted) return sseError(SSE_ABORTED, `the stream from ${request.url} was aborted`);
    if (!timedOut) return undefined;
    if (status === 0) return sseError(SSE_TIMEOUT, `no response from ${request.url} within ${request.timeout} ms`);
    return wanted === undefined ? undefined : sseError(SSE_TIMEOUT, `${events} of ${wanted} events from ${request.url} within ${request.timeout} ms`);
  };

  try {
    let response: Response;
    try {
      const init = {
        headers: [["accept", "text/event-stream"], ...request.headers.map(([name, value]) => [name, value] as [string, string])] as [string, string][],
        signal: controller.signal,
        keepalive: false,
        tls: { rejectUnauthorized: !request.tls.insecure, ...(request.tls.ca ? { ca: request.tls.ca } : {}), ...(request.tls.serverName ? { serverName: request.tls.serverName } : {}) },
      };
      response = await fetch(request.url, init);
    } catch (error) {
      return done(interrupted() ?? connectFailure(request.url, error));
    }
    status = response.status;
    headers = headersOf(response);
    connectMs = performance.now() - startedAt;
    metrics.add("sse_connecting", connectMs, tags);
    const type = response.headers.get("content-type") ?? "";
    if (status !== 200 || !/^text\/event-stream\b/i.test(type)) {
      void response.body?.cancel().catch(() => {});
      return done(
        status !== 200
          ? sseError(SSE_STATUS, `${request.url} answered HTTP ${status} instead of 200 with an event stream`)
          : sseError(SSE_MALFORMED, `${request.url} answered with content-type "${type}", not text/event-stream`),
      );
    }
    const parser = new SseEventParser(MAX_EVENT_CHARS);
    const decoder = new TextDecoder();
    const reader = response.body!.getReader();
    try {
      while (wanted === undefined || events < wanted) {
        const { done: ended, value } = await reader.read();
        if (ended) break;
        metrics.add("data_received", value.byteLength, tags);
        const problem = parser.push(decoder.decode(value, { stream: true }), onEvent);
        if (problem) return done(sseError(SSE_MALFORMED, `${request.url} sent ${problem}`));
      }
    } catch (error) {
      // Read until the timeout, as asked: the normal end of a stream without `until.events`.
      if (timedOut && !signal.aborted && wanted === undefined) return done(undefined);
      return done(interrupted() ?? sseError(SSE_CLOSED, `the stream from ${request.url} broke off after ${events} events: ${(error as Error)?.message ?? error}`));
    }
    if (wanted !== undefined && events < wanted) return done(sseError(SSE_CLOSED, `the stream from ${request.url} ended after ${events} of ${wanted} events`));
    return done(undefined);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
    controller.abort();
    untrack();
  }
}
