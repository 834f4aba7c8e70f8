// The TCP handler against the protocol contract (issue 12 point 9): failures come back as tagged
// errors, never thrown or hung; a refused connection, a reset mid-message, a silent peer past the
// timeout and a malformed (endless) reply are each one counted failure; counts equal what the
// peer saw; closing a session closes every socket; samples carry the caller's tags.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MemoryCookieJar } from "../../src/core/cookies.ts";
import type { Tags } from "../../src/metrics/types.ts";
import { tcpHandler, type TcpExchange } from "../../src/protocols/tcp/session.ts";
import { closedPort, waitFor } from "../helpers/bad-servers.ts";
import { rawTcpServer, type RawTcpServer } from "../helpers/raw-servers.ts";

const TAGS: Tags = { scenario: "contract", group: "::g" };
const encoder = new TextEncoder();

function exchange(target: string, line: string, overrides: Partial<TcpExchange> = {}): TcpExchange {
  return {
    name: "line",
    target,
    tls: undefined,
    payload: encoder.encode(`${line}\n`),
    expect: { until: encoder.encode("\n") },
    timeout: 2_000,
    connectTimeout: 2_000,
    keepAlive: true,
    ...overrides,
  };
}

function open() {
  const samples: Array<{ metric: string; value: number; tags: Tags }> = [];
  const session = tcpHandler.openSession({ vu: 1, cookies: new MemoryCookieJar(), metrics: { add: (metric, value, tags) => void samples.push({ metric, value, tags: { ...tags } }) } });
  const count = (metric: string, where: (tags: Tags) => boolean = () => true) => samples.filter((s) => s.metric === metric && where(s.tags)).length;
  const sum = (metric: string) => samples.filter((s) => s.metric === metric).reduce((a, s) => a + s.value, 0);
  return { session, samples, count, sum };
}

describe("TCP handler contract", () => {
  let echo: RawTcpServer;
  let silent: RawTcpServer;
  let resetter: RawTcpServer;
  let flooder: RawTcpServer;
  beforeAll(async () => {
    echo = await rawTcpServer((line) => `${line}\n`);
    silent = await rawTcpServer(() => undefined);
    resetter = await rawTcpServer((_line, socket) => void socket.write("half a rep", () => socket.destroy()));
    flooder = await rawTcpServer(() => Buffer.alloc(1_200_000, 0x61));
  });
  afterAll(async () => {
    await Promise.all([echo, silent, resetter, flooder].map((s) => s.stop()));
  });

  test("replies arrive over one kept connection; counts and bytes equal what the peer saw; samples carry scenario/group/name", async () => {
    const { session, samples, count, sum } = open();
    const linesBefore = echo.lines;
    const connectionsBefore = echo.connections;
    for (let i = 0; i < 5; i++) {
      const response = await session.exchange(exchange(echo.target, `PING ${i}`), TAGS);
      expect(response.error).toBeUndefined();
      expect(response.status).toBeGreaterThan(0);
      expect(response.body).toBe(`PING ${i}\n`);
    }
    session.close();
    expect(echo.lines - linesBefore).toBe(5);
    expect(echo.connections - connectionsBefore).toBe(1);
    expect(count("tcp_reqs")).toBe(5);
    expect(count("tcp_connecting")).toBe(1);
    expect(count("tcp_duration")).toBe(5);
    expect(sum("tcp_failed")).toBe(0);
    expect(sum("data_sent")).toBe(5 * "PING 0\n".length);
    expect(sum("data_received")).toBe(5 * "PING 0\n".length);
    expect(samples.every((s) => s.tags.scenario === "contract" && s.tags.group === "::g" && s.tags.name === "line")).toBe(true);
  });

  test("keepAlive: false opens one connection per exchange and leaves none open", async () => {
    const { session } = open();
    const before = echo.connections;
    for (let i = 0; i < 3; i++) expect((await session.exchange(exchange(echo.target, "x", { keepAlive: false }), TAGS)).error).toBeUndefined();
    expect(echo.connections - before).toBe(3);
    await waitFor(() => echo.open === 0);
    session.close();
  });

  test("a reply of `length` bytes ends after exactly that many bytes", async () => {
    const { session } = open();
    const response = await session.exchange(exchange(echo.target, "abcdef", { expect: { length: 3 } }), TAGS);
    expect(response.body).toBe("abc");
    session.close();
  });

  test("a refused connection is one failure tagged ECONNREFUSED, with a sentence", async () => {
    const port = await closedPort();
    const { session, count, sum } = open();
    const response = await session.exchange(exchange(`127.0.0.1:${port}`, "x"), TAGS);
    session.close();
    expect(response.status).toBe(0);
    expect(response.error?.code).toBe("ECONNREFUSED");
    expect(response.error?.message).toContain(`127.0.0.1:${port}`);
    expect(count("tcp_reqs", (t) => t.error === "ECONNREFUSED")).toBe(1);
    expect(sum("tcp_failed")).toBe(1);
  });

  test("a silent peer is one timeout failure at the expect timeout, and its connection is closed", async () => {
    const { session, count } = open();
    const response = await session.exchange(exchange(silent.target, "hello?", { timeout: 200 }), TAGS);
    expect(response.error?.code).toBe("timeout");
    expect(response.error?.message).toContain(silent.target);
    expect(count("tcp_reqs", (t) => t.error === "timeout")).toBe(1);
    await waitFor(() => silent.open === 0);
    session.close();
  });

  test("a reset mid-reply is one failure tagged reset", async () => {
    const { session, count } = open();
    const response = await session.exchange(exchange(resetter.target, "x"), TAGS);
    session.close();
    expect(response.error?.code).toBe("reset");
    expect(count("tcp_reqs", (t) => t.error === "reset")).toBe(1);
  });

  test("an endless reply without the delimiter is one malformed failure, not unbounded buffering", async () => {
    const { session, count } = open();
    const response = await session.exchange(exchange(flooder.target, "x"), TAGS);
    session.close();
    expect(response.error?.code).toBe("malformed");
    expect(count("tcp_reqs", (t) => t.error === "malformed")).toBe(1);
  });

  test("an abort ends an in-flight exchange promptly with an error", async () => {
    const { session } = open();
    const controller = new AbortController();
    const pending = session.exchange(exchange(silent.target, "x", { timeout: 30_000 }), TAGS, controller.signal);
    await waitFor(() => silent.lines > 0);
    controller.abort();
    const response = await pending;
    expect(response.error?.code).toBe("aborted");
    session.close();
  });

  test("closing a session closes every socket it opened, and is idempotent", async () => {
    const { session } = open();
    await session.exchange(exchange(echo.target, "a"), TAGS);
    const other = await rawTcpServer((line) => `${line}\n`);
    await session.exchange(exchange(other.target, "b"), TAGS);
    expect(other.open).toBe(1);
    session.close();
    session.close();
    await waitFor(() => other.open === 0 && echo.open === 0);
    await other.stop();
  });
});
