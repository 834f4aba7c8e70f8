// A Server-Sent Events response whose source is a callback: `start` gets `send` and `close` and
// returns its cleanup, which runs exactly once (the source closes, the client goes away, or the
// server stops). Comment lines keep proxies from closing an idle stream. Used by the fleet feed
// (webui/fleet-feed.ts) and the dashboard's run feed (webui/dashboard-server.ts).

/** SSE comment lines keep proxies from closing an idle stream. */
export const SSE_KEEPALIVE_MS = 15_000;

export interface SseSource {
  /** Sends one event (ignored once closed). */
  send(event: string, data: unknown): void;
  close(): void;
}

export function sseResponse(signal: AbortSignal, start: (source: SseSource) => () => void): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      let stopSource = () => {};
      const keepalive = setInterval(() => open && controller.enqueue(encoder.encode(": keepalive\n\n")), SSE_KEEPALIVE_MS);
      const close = () => {
        if (!open) return;
        open = false;
        clearInterval(keepalive);
        signal.removeEventListener("abort", close);
        stopSource();
        try {
          controller.close();
        } catch {}
      };
      cleanup = close;
      signal.addEventListener("abort", close);
      const source: SseSource = {
        send(event, data) {
          if (open) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        },
        close,
      };
      stopSource = start(source);
      if (!open) stopSource();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" } });
}
