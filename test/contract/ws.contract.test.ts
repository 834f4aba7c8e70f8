// The protocol-handler contract (issue 12 point 9) for the WebSocket handler, whose sessions are
// message streams rather than request/response (so not protocol-handler.contract.ts, which drives
// `send`): failures come back as tagged errors and never throw or hang; a refused connection, a
// reset mid-message, a silent peer past the timeout and a malformed frame each end as one failure
// with its code; counts equal what the server saw; closing a session closes every socket; every
// sample carries the tags it was given (scenario, group, name).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Server } from "bun";
import type { MetricSink, Tags } from "../../src/metrics/types.ts";
import { MemoryCookieJar } from "../../src/core/cookies.ts";
import { wsHandler, type WsSession } from "../../src/protocols/ws/session.ts";
import type { WsConnection } from "../../src/protocols/ws/connection.ts";
import { closedPort, silentServer, waitFor, type TestServer } from "../helpers/bad-servers.ts";
import { helloThenDropServer, malformedFrameServer, resetMidMessageServer } from "../helpers/bad-ws-servers.ts";

interface Recorded {
  metric: string;
  value: number;
  tags: Tags;
}

const TAGS: Tags = Object.freeze({ scenario: "contract", group: "::g", name: "echo" });
const never = new AbortController().signal;

function open(): { session: WsSession; samples: Recorded[] } {
  const samples: Recorded[] = [];
  const metrics: MetricSink = { add: (metric, value, tags) => void samples.push({ metric, value, tags: { ...tags } }) };
  return { session: wsHandler.openSession({ vu: 1, cookies: new MemoryCookieJar(), metrics }), samples };
}

const connect = (session: WsSession, url: string, connectTimeout = 2_000, signal = never): WsConnection =>
  session.connect({ url, headers: [], protocols: [], tls: { insecure: false }, connectTimeout }, TAGS, signal);

const total = (samples: Recorded[], metric: string) => samples.filter((s) => s.metric === metric).reduce((sum, s) => sum + s.value, 0);

/** Waits for the next message (or the failure) on `conn`. */
const next = (conn: WsConnection, timeout = 2_000) => conn.waitFor(() => conn.take(), timeout, never, () => ({ code: "timeout", message: "no message" }));

describe("ProtocolHandler contract: ws", () => {
  let echo: Server<{ path: string }>;
  let received = 0;
  /** Sockets opened and closed on the server, by request path. */
  const opened = new Map<string, number>();
  const closed = new Map<string, number>();
  const bump = (counts: Map<string, number>, path: string) => counts.set(path, (counts.get(path) ?? 0) + 1);
  const bad: TestServer[] = [];
  beforeAll(() => {
    echo = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (request, server) => (server.upgrade(request, { data: { path: new URL(request.url).pathname } }) ? undefined : new Response("upgrade", { status: 426 })),
      websocket: {
        open: (ws) => void bump(opened, ws.data.path),
        message(ws, message) {
          received++;
          ws.send(message);
        },
        close: (ws) => void bump(closed, ws.data.path),
      },
    });
  });
  afterAll(async () => {
    echo.stop(true);
    await Promise.all(bad.map((server) => server.stop()));
  });
  const url = (path = "/") => `ws://127.0.0.1:${echo.port}${path}`;
  const badServer = async (make: () => Promise<TestServer>) => {
    const server = await make();
    bad.push(server);
    return `ws://127.0.0.1:${server.port}/`;
  };

  test("an echo round trip: counts equal what the server saw, and every sample carries the given tags", async () => {
    const { session, samples } = open();
    const before = received;
    const conn = connect(session, url());
    expect(await conn.opened).toBeUndefined();
    expect(conn.status).toBe(101);
    for (const text of ["a", "bb", "ccc"]) expect(conn.send(text)).toBeUndefined();
    expect(conn.send(new Uint8Array([1, 2, 3]))).toBeUndefined();
    const answers: Array<string | Uint8Array> = [];
    for (let i = 0; i < 4; i++) {
      const result = await next(conn);
      if (!result.ok) throw new Error(result.error.message);
      answers.push(result.value.data);
    }
    await conn.close(1000, "");
    session.close();
    expect(answers.slice(0, 3)).toEqual(["a", "bb", "ccc"]);
    expect([...(answers[3] as Uint8Array)]).toEqual([1, 2, 3]);
    expect(received - before).toBe(4);
    expect(total(samples, "ws_msgs_sent")).toBe(4);
    expect(total(samples, "ws_msgs_received")).toBe(4);
    expect(total(samples, "ws_connecting")).toBeGreaterThan(0);
    // Payload + 2-byte header + 4-byte mask per message sent, plus the close frame (2 + 2 + 4).
    expect(total(samples, "data_sent")).toBe(1 + 2 + 3 + 3 + 4 * 6 + 8);
    expect(total(samples, "data_received")).toBe(1 + 2 + 3 + 3 + 4 * 2);
    expect(samples.every((s) => s.tags.scenario === "contract" && s.tags.group === "::g" && s.tags.name === "echo")).toBe(true);
  });

  test("messages that arrive unasked are counted on arrival and kept for later actions", async () => {
    const { session, samples } = open();
    const conn = connect(session, url());
    await conn.opened;
    conn.send("one");
    conn.send("two");
    await waitFor(() => total(samples, "ws_msgs_received") === 2);
    expect(conn.take()?.data).toBe("one");
    expect(conn.take()?.data).toBe("two");
    session.close();
  });

  test("a ping is answered by a pong", async () => {
    const { session } = open();
    const conn = connect(session, url());
    await conn.opened;
    expect(conn.ping()).toBeUndefined();
    const pong = await conn.waitFor(() => (conn.pongs > 0 ? true : undefined), 2_000, never, () => ({ code: "timeout", message: "no pong" }));
    expect(pong.ok).toBe(true);
    session.close();
  });

  test("a refused connection resolves with a tagged error, never thrown", async () => {
    const { session } = open();
    const conn = connect(session, `ws://127.0.0.1:${await closedPort()}/`);
    const failure = await conn.opened;
    expect(failure?.code).toBe("connect");
    expect(failure?.message).toContain("could not connect");
    expect(conn.status).toBe(0);
    expect(conn.send("x")?.code).toBe("connect");
    session.close();
  });

  test("a URL the client cannot open fails at once with `invalid_request`", async () => {
    const { session } = open();
    const conn = connect(session, "ws://[::1/");
    expect((await conn.opened)?.code).toBe("invalid_request");
    expect(session.openSockets).toBe(0);
    session.close();
  });

  test("a handshake answered without 101 is a handshake failure with the status", async () => {
    const http = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("no", { status: 404 }) });
    try {
      const { session } = open();
      const conn = connect(session, `ws://127.0.0.1:${http.port}/`);
      expect((await conn.opened)?.code).toBe("handshake");
      expect(conn.status).toBe(404);
      session.close();
    } finally {
      http.stop(true);
    }
  });

  test("a silent peer fails the connect at connectTimeout", async () => {
    const { session } = open();
    const conn = connect(session, await badServer(silentServer), 300);
    const started = performance.now();
    const failure = await conn.opened;
    expect(failure?.code).toBe("timeout");
    expect(performance.now() - started).toBeLessThan(2_300);
    session.close();
  });

  test("a reset mid-message ends a waiting action with `closed`", async () => {
    const { session, samples } = open();
    const conn = connect(session, await badServer(resetMidMessageServer));
    expect(await conn.opened).toBeUndefined();
    const result = await next(conn, 5_000);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("closed");
    expect(total(samples, "ws_msgs_received")).toBe(0);
    session.close();
  });

  test("a malformed frame ends the session with `malformed`", async () => {
    const { session } = open();
    const conn = connect(session, await badServer(malformedFrameServer));
    expect(await conn.opened).toBeUndefined();
    const result = await next(conn, 5_000);
    expect(!result.ok && result.error.code).toBe("malformed");
    session.close();
  });

  test("a message that arrived before the server dropped the connection can still be taken", async () => {
    const { session } = open();
    const conn = connect(session, await badServer(helloThenDropServer));
    await conn.opened;
    const first = await next(conn, 5_000);
    expect(first.ok && first.value.data).toBe("hello");
    const second = await next(conn, 5_000);
    expect(!second.ok && second.error.code).toBe("closed");
    session.close();
  });

  test("an abort ends a wait promptly", async () => {
    const { session } = open();
    const conn = connect(session, url());
    await conn.opened;
    const controller = new AbortController();
    const pending = conn.waitFor(() => conn.take(), 30_000, controller.signal, () => ({ code: "timeout", message: "" }));
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    expect(!result.ok && result.error.code).toBe("aborted");
    session.close();
  });

  test("closing the session closes every socket it opened; close is idempotent", async () => {
    const { session } = open();
    const conns = [connect(session, url("/many")), connect(session, url("/many")), connect(session, url("/many"))];
    await Promise.all(conns.map((conn) => conn.opened));
    await waitFor(() => opened.get("/many") === 3);
    expect(session.openSockets).toBe(3);
    session.close();
    session.close();
    expect(session.openSockets).toBe(0);
    await waitFor(() => closed.get("/many") === 3, 5_000);
    // A session that is closed opens nothing.
    const late = connect(session, url());
    expect((await late.opened)?.code).toBe("closed");
  });
});
