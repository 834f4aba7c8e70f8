// The UDP handler against the protocol contract (issue 12 point 9): failures come back as tagged
// errors, never thrown or hung; an unanswered datagram is one counted timeout (udp_timeouts) at
// its timeout; an oversized payload is one counted failure, never sent; counts equal what the
// peer saw; closing a session closes its sockets; samples carry the caller's tags.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MemoryCookieJar } from "../../src/core/cookies.ts";
import type { Tags } from "../../src/metrics/types.ts";
import { MAX_DATAGRAM_BYTES, udpHandler, type UdpExchange } from "../../src/protocols/udp/session.ts";
import { waitFor } from "../helpers/bad-servers.ts";
import { rawUdpServer, type RawUdpServer } from "../helpers/raw-servers.ts";

const TAGS: Tags = { scenario: "contract", group: "::g" };
const encoder = new TextEncoder();

/** `expectTimeout` null: no reply expected. */
const exchange = (target: string, text: string, expectTimeout: number | null = 2_000): UdpExchange => ({
  name: "dgram",
  target,
  payload: encoder.encode(text),
  expectTimeout: expectTimeout ?? undefined,
});

function open() {
  const samples: Array<{ metric: string; value: number; tags: Tags }> = [];
  const session = udpHandler.openSession({ vu: 1, cookies: new MemoryCookieJar(), metrics: { add: (metric, value, tags) => void samples.push({ metric, value, tags: { ...tags } }) } });
  const count = (metric: string, where: (tags: Tags) => boolean = () => true) => samples.filter((s) => s.metric === metric && where(s.tags)).length;
  const sum = (metric: string) => samples.filter((s) => s.metric === metric).reduce((a, s) => a + s.value, 0);
  return { session, samples, count, sum };
}

describe("UDP handler contract", () => {
  let echo: RawUdpServer;
  let silent: RawUdpServer;
  beforeAll(async () => {
    echo = await rawUdpServer((message) => message);
    silent = await rawUdpServer(() => undefined);
  });
  afterAll(async () => {
    await Promise.all([echo.stop(), silent.stop()]);
  });

  test("each datagram's reply comes back; counts and bytes equal what the peer saw; samples carry scenario/group/name", async () => {
    const { session, samples, count, sum } = open();
    const before = echo.datagrams;
    for (let i = 0; i < 5; i++) {
      const response = await session.exchange(exchange(echo.target, `ping ${i}`), TAGS);
      expect(response.error).toBeUndefined();
      expect(response.status).toBeGreaterThan(0);
      expect(response.body).toBe(`ping ${i}`);
    }
    session.close();
    expect(echo.datagrams - before).toBe(5);
    expect(count("udp_reqs")).toBe(5);
    expect(count("udp_duration")).toBe(5);
    expect(sum("udp_failed")).toBe(0);
    expect(sum("udp_timeouts")).toBe(0);
    expect(sum("data_sent")).toBe(5 * "ping 0".length);
    expect(sum("data_received")).toBe(5 * "ping 0".length);
    expect(samples.every((s) => s.tags.scenario === "contract" && s.tags.group === "::g" && s.tags.name === "dgram")).toBe(true);
  });

  test("a datagram never answered is one counted timeout at its timeout, not a hang", async () => {
    const { session, count, sum } = open();
    const response = await session.exchange(exchange(silent.target, "anyone?", 200), TAGS);
    session.close();
    expect(response.status).toBe(0);
    expect(response.error?.code).toBe("timeout");
    expect(response.error?.message).toContain(silent.target);
    expect(count("udp_timeouts", (t) => t.error === "timeout")).toBe(1);
    expect(count("udp_reqs", (t) => t.error === "timeout")).toBe(1);
    expect(sum("udp_failed")).toBe(1);
    expect(silent.datagrams).toBeGreaterThanOrEqual(1);
  });

  test("without expect, the exchange ends once the datagram is sent", async () => {
    const { session } = open();
    const before = silent.datagrams;
    const response = await session.exchange(exchange(silent.target, "fire and forget", null), TAGS);
    expect(response.error).toBeUndefined();
    await waitFor(() => silent.datagrams > before);
    session.close();
  });

  test("an oversized payload and a malformed target are each one counted failure, never thrown", async () => {
    const { session, count } = open();
    const big = await session.exchange({ ...exchange(echo.target, ""), payload: new Uint8Array(MAX_DATAGRAM_BYTES + 1) }, TAGS);
    const bad = await session.exchange(exchange("no-port-here", "x"), TAGS);
    session.close();
    expect(big.error?.code).toBe("invalid_request");
    expect(bad.error?.message).toContain("host:port");
    expect(count("udp_reqs", (t) => t.error === "invalid_request")).toBe(2);
  });

  test("an abort ends a wait for a reply promptly", async () => {
    const { session } = open();
    const controller = new AbortController();
    const before = silent.datagrams;
    const pending = session.exchange(exchange(silent.target, "x", 30_000), TAGS, controller.signal);
    await waitFor(() => silent.datagrams > before);
    controller.abort();
    expect((await pending).error?.code).toBe("aborted");
    session.close();
  });

  test("after close the session sends nothing more, and close is idempotent", async () => {
    const { session } = open();
    await session.exchange(exchange(echo.target, "a"), TAGS);
    session.close();
    session.close();
    const before = echo.datagrams;
    const response = await session.exchange(exchange(echo.target, "b"), TAGS);
    expect(response.error).toBeDefined();
    expect(echo.datagrams).toBe(before);
  });
});
