// The protocol-handler contract (issue 12 point 9) for the SSE handler, whose sessions read
// streams rather than send requests (so not protocol-handler.contract.ts, which drives `send`):
// failures come back as tagged errors and never throw or hang; a refused connection, a reset
// mid-stream, a silent peer past the timeout and a malformed stream each end as one failure with
// its code; counts equal what the server sent; closing a session aborts every stream; every
// sample carries the tags it was given (scenario, group, name).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Server } from "bun";
import type { MetricSink, Tags } from "../../src/metrics/types.ts";
import { MemoryCookieJar } from "../../src/core/cookies.ts";
import { sseHandler, type SseSession } from "../../src/protocols/sse/session.ts";
import type { SseRequest } from "../../src/protocols/sse/stream.ts";
import { MAX_EVENT_CHARS } from "../../src/protocols/sse/stream.ts";
import { closedPort, okResponse, scriptedServer, silentServer, waitFor, type TestServer } from "../helpers/bad-servers.ts";

interface Recorded {
  metric: string;
  value: number;
  tags: Tags;
}

const TAGS: Tags = Object.freeze({ scenario: "contract", group: "::g", name: "ticks" });
const never = new AbortController().signal;
const STREAM_HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
const tick = (n: number) => `event: tick\nid: ${n}\ndata: {"n":${n}}\n\n`;

function open(): { session: SseSession; samples: Recorded[] } {
  const samples: Recorded[] = [];
  const metrics: MetricSink = { add: (metric, value, tags) => void samples.push({ metric, value, tags: { ...tags } }) };
  return { session: sseHandler.openSession({ vu: 1, cookies: new MemoryCookieJar(), metrics }), samples };
}

const request = (url: string, events: number | undefined, timeout = 5_000): SseRequest => ({ url, headers: [], tls: { insecure: false }, timeout, events });
const total = (samples: Recorded[], metric: string) => samples.filter((s) => s.metric === metric).reduce((sum, s) => sum + s.value, 0);

describe("ProtocolHandler contract: sse", () => {
  let target: Server<undefined>;
  /** Streams the target started and saw the client leave (once each), by `?id=`; events it enqueued. */
  const started = new Map<string, number>();
  const left = new Map<string, number>();
  const bump = (counts: Map<string, number>, id: string) => counts.set(id, (counts.get(id) ?? 0) + 1);
  let sent = 0;
  const bad: TestServer[] = [];
  beforeAll(() => {
    target = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch(req) {
        const url = new URL(req.url);
        if (url.pathname === "/404") return new Response("no", { status: 404 });
        const count = Number(url.searchParams.get("count") ?? 1_000);
        const interval = Number(url.searchParams.get("interval") ?? 10);
        const id = url.searchParams.get("id") ?? "";
        bump(started, id);
        let timer: ReturnType<typeof setInterval> | undefined;
        let n = 0;
        let gone = false;
        const leave = () => {
          if (!gone) bump(left, id);
          gone = true;
          clearInterval(timer);
        };
        req.signal.addEventListener("abort", leave);
        const body = new ReadableStream<string>({
          start(controller) {
            controller.enqueue(": open\n\n");
            timer = setInterval(() => {
              try {
                controller.enqueue(tick(++n));
                sent++;
                if (n >= count) {
                  clearInterval(timer);
                  controller.close();
                }
              } catch {
                leave();
              }
            }, interval);
          },
          cancel: leave,
        });
        return new Response(body, { headers: { "content-type": "text/event-stream" } });
      },
    });
  });
  afterAll(async () => {
    target.stop(true);
    await Promise.all(bad.map((server) => server.stop()));
  });
  const url = (path: string) => `http://127.0.0.1:${target.port}${path}`;
  const badServer = async (make: () => Promise<TestServer>) => {
    const server = await make();
    bad.push(server);
    return `http://127.0.0.1:${server.port}/`;
  };

  test("a stream of events: counts equal what the server sent, and every sample carries the given tags", async () => {
    const { session, samples } = open();
    const sentBefore = sent;
    const outcome = await session.read(request(url("/?count=4"), undefined), TAGS, never);
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe(200);
    expect(outcome.events).toBe(4);
    expect(sent - sentBefore).toBe(4);
    expect(outcome.byName).toEqual(new Map([["tick", 4]]));
    expect(outcome.last).toEqual({ event: "tick", data: '{"n":4}', id: "4" });
    expect(total(samples, "sse_events")).toBe(4);
    expect(total(samples, "data_received")).toBe(": open\n\n".length + [1, 2, 3, 4].reduce((sum, n) => sum + tick(n).length, 0));
    expect(samples.filter((s) => s.metric === "sse_connecting")).toHaveLength(1);
    expect(samples.filter((s) => s.metric === "sse_time_to_first_event")).toHaveLength(1);
    expect(samples.every((s) => s.tags.scenario === "contract" && s.tags.group === "::g" && s.tags.name === "ticks")).toBe(true);
    session.close();
  });

  test("until N events: exactly N are read and the stream is released", async () => {
    const { session, samples } = open();
    const outcome = await session.read(request(url("/?interval=5&id=until"), 3), TAGS, never);
    expect(outcome.error).toBeUndefined();
    expect(outcome.events).toBe(3);
    expect(total(samples, "sse_events")).toBe(3);
    await waitFor(() => left.get("until") === 1, 5_000);
    expect(session.openStreams).toBe(0);
    session.close();
  });

  test("a refused connection resolves with a tagged error, never thrown", async () => {
    const { session } = open();
    const outcome = await session.read(request(`http://127.0.0.1:${await closedPort()}/`, 1), TAGS, never);
    expect(outcome.status).toBe(0);
    expect(outcome.error?.code).toBe("connect");
    expect(outcome.error?.message).toContain("refused");
    session.close();
  });

  test("a status other than 200 and a body that is not an event stream are failures", async () => {
    const { session } = open();
    expect((await session.read(request(url("/404"), 1), TAGS, never)).error?.code).toBe("status");
    const plain = await badServer(() => scriptedServer(() => okResponse("hello")));
    const outcome = await session.read(request(plain, 1), TAGS, never);
    expect(outcome.error?.code).toBe("malformed");
    expect(outcome.error?.message).toContain('content-type "text/plain"');
    session.close();
  });

  test("a silent peer fails at the timeout: no head at all, or no events after the head", async () => {
    const { session } = open();
    const silent = await badServer(silentServer);
    const started = performance.now();
    const none = await session.read(request(silent, 1, 300), TAGS, never);
    expect(none.error?.code).toBe("timeout");
    expect(none.status).toBe(0);
    const headOnly = await badServer(() => scriptedServer((_request, socket) => void socket.write(STREAM_HEAD)));
    const quiet = await session.read(request(headOnly, 2, 300), TAGS, never);
    expect(quiet.error?.code).toBe("timeout");
    expect(quiet.error?.message).toContain("0 of 2 events");
    expect(performance.now() - started).toBeLessThan(4_000);
    // Without `until.events`, reading until the timeout is the normal end.
    expect((await session.read(request(headOnly, undefined, 300), TAGS, never)).error).toBeUndefined();
    session.close();
  });

  test("a reset mid-stream and a stream that ends early are `closed`; the events before the end are counted", async () => {
    const { session, samples } = open();
    const reset = await badServer(() =>
      scriptedServer((_request, socket) => {
        socket.write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n");
        const chunk = tick(1);
        socket.write(`${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`, () => socket.destroy());
      }),
    );
    const broken = await session.read(request(reset, 3), TAGS, never);
    expect(broken.error?.code).toBe("closed");
    const short = await session.read(request(url("/?count=2"), 3), TAGS, never);
    expect(short.error?.code).toBe("closed");
    expect(short.error?.message).toContain("ended after 2 of 3 events");
    expect(short.events).toBe(2);
    expect(total(samples, "sse_events")).toBe(broken.events + 2);
    session.close();
  });

  test("a malformed stream (a line past the bound) is one failure, not unbounded buffering", async () => {
    const { session } = open();
    const flood = await badServer(() => scriptedServer((_request, socket) => void socket.write(`${STREAM_HEAD}data: ${"x".repeat(MAX_EVENT_CHARS + 10)}`)));
    const outcome = await session.read(request(flood, 1), TAGS, never);
    expect(outcome.error?.code).toBe("malformed");
    session.close();
  });

  test("an abort ends a read promptly", async () => {
    const { session } = open();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const outcome = await session.read(request(url("/?interval=1000"), 5, 30_000), TAGS, controller.signal);
    expect(outcome.error?.code).toBe("aborted");
    session.close();
  });

  test("closing the session aborts every stream it reads; close is idempotent", async () => {
    const { session } = open();
    const slow = () => session.read(request(url("/?interval=1000&id=close"), 5, 30_000), TAGS, never);
    const reads = [slow(), slow()];
    await waitFor(() => started.get("close") === 2, 5_000);
    expect(session.openStreams).toBe(2);
    session.close();
    session.close();
    const outcomes = await Promise.all(reads);
    expect(outcomes.every((o) => o.error !== undefined)).toBe(true);
    expect(session.openStreams).toBe(0);
    await waitFor(() => left.get("close") === 2, 5_000);
  });
});
