// A VU's SSE session ("sse"): the streams its `sse` steps have open, so that closing the session
// (the VU ends, the run stops) aborts every one of them and releases their connections. Opened
// lazily by `VuRuntime.session` on the VU's first `sse` step; used by that VU only.
import type { MetricSink, Tags } from "../../metrics/types.ts";
import type { ProtocolHandler, Session, SessionContext } from "../types.ts";
import { sseError, SSE_ABORTED } from "./errors.ts";
import { readStream, type SseOutcome, type SseRequest } from "./stream.ts";

/** The protocol name `sse` steps open their sessions under (src/protocols/registry.ts). */
export const SSE_PROTOCOL = "sse";

export class SseSession implements Session {
  private readonly open = new Set<AbortController>();
  private ended = false;

  constructor(private readonly metrics: MetricSink) {}

  /** Reads one stream (stream.ts `readStream`); always resolves. */
  read(request: SseRequest, tags: Tags, signal: AbortSignal): Promise<SseOutcome> {
    return readStream(request, tags, this.metrics, signal, (controller) => {
      if (this.ended) controller.abort(sseError(SSE_ABORTED, "the session is closed"));
      this.open.add(controller);
      return () => this.open.delete(controller);
    });
  }

  /** Streams being read (for tests). */
  get openStreams(): number {
    return this.open.size;
  }

  close(): void {
    this.ended = true;
    for (const controller of this.open) controller.abort();
    this.open.clear();
  }
}

export const sseHandler: ProtocolHandler<SseSession> = {
  protocol: SSE_PROTOCOL,
  openSession: (context: SessionContext) => new SseSession(context.metrics),
};
