// The demo target's server-sent events at `/events` (protocol-routes.ts `DEMO_ROUTES`): an
// `event: tick` (data `{"n": N}`, id N) every 100 ms after a comment line that sends the head at
// once. Each stream counts once under `byProtocol.sse` (what a client can compare with its
// `sse_sessions`; the request itself is an HTTP request too). Query, for tests and experiments:
// `count` ends the stream after that many events (default and most MAX_EVENTS, so a stream is
// bounded in time), `interval` sets the period in ms (MIN_INTERVAL_MS–MAX_INTERVAL_MS).
import type { DemoRoute } from "./protocol-routes.ts";

export const EVENTS_PATH = "/events";
const PROTOCOL = "sse";
const MAX_EVENTS = 600;
const DEFAULT_INTERVAL_MS = 100;
const MIN_INTERVAL_MS = 10;
const MAX_INTERVAL_MS = 10_000;

/** The integer query value `name` clamped to [min, max]; `fallback` when absent or not a number. */
function bounded(params: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || !/^\d{1,9}$/.test(raw)) return fallback;
  return Math.min(max, Math.max(min, Number(raw)));
}

export const sseEvents: DemoRoute = (request, ctx) => {
  const params = new URL(request.url).searchParams;
  const count = bounded(params, "count", 1, MAX_EVENTS, MAX_EVENTS);
  const interval = bounded(params, "interval", MIN_INTERVAL_MS, MAX_INTERVAL_MS, DEFAULT_INTERVAL_MS);
  ctx.state.stats.count(EVENTS_PATH, PROTOCOL);
  let timer: ReturnType<typeof setInterval> | undefined;
  let sent = 0;
  const body = new ReadableStream<string>({
    start(controller) {
      controller.enqueue(`: loadr demo: an event tick every ${interval} ms\n\n`);
      timer = setInterval(() => {
        sent++;
        try {
          controller.enqueue(`event: tick\nid: ${sent}\ndata: {"n":${sent}}\n\n`);
          if (sent >= count) {
            clearInterval(timer);
            controller.close();
          }
        } catch {
          clearInterval(timer); // the client went away
        }
      }, interval);
    },
    cancel() {
      clearInterval(timer);
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
};
