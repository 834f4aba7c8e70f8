// The shared delivery (outputs/delivery.ts) against a real HTTP receiver on 127.0.0.1, port 0,
// that can be told to accept, fail with 500, reject with 400, or hang; and a closed port for a
// receiver that is down. Waits for conditions, never for fixed times.
import { afterEach, describe, expect, test } from "bun:test";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createDelivery } from "../../../src/outputs/delivery.ts";
import { PermanentDeliveryError, type DeliveryOptions } from "../../../src/outputs/delivery-types.ts";

type Mode = "accept" | "fail" | "reject" | "hang";

interface Receiver {
  url: string;
  mode: Mode;
  /** Every item of every accepted batch, in arrival order. */
  accepted: number[];
  requests: number;
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function receiver(mode: Mode = "accept"): Promise<Receiver> {
  const hung: ServerResponse[] = [];
  const state: Receiver = {
    url: "",
    mode,
    accepted: [],
    requests: 0,
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      state.requests++;
      if (state.mode === "hang") return void hung.push(res);
      if (state.mode === "fail") return void res.writeHead(500).end("down for maintenance");
      if (state.mode === "reject") return void res.writeHead(400).end("bad line protocol");
      state.accepted.push(...(JSON.parse(Buffer.concat(chunks).toString()) as number[]));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/write`;
  cleanups.push(() => state.close());
  return state;
}

/** A port nothing listens on: a server bound, then closed. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/write`;
}

/** `send` as an output writes it: POST the batch, 4xx is permanent, anything else non-2xx retried. */
function httpSend(url: () => string) {
  return async (batch: readonly number[], signal: AbortSignal): Promise<void> => {
    const res = await fetch(url(), { method: "POST", body: JSON.stringify(batch), signal });
    const text = await res.text();
    if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new PermanentDeliveryError(`HTTP ${res.status}: ${text}`);
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${text}`);
  };
}

function options(url: () => string, extra: Partial<DeliveryOptions<number>> = {}): DeliveryOptions<number> {
  return {
    name: "test-output",
    send: httpSend(url),
    flushIntervalMs: 10,
    maxBatchItems: 100,
    maxQueuedPoints: 10_000,
    timeoutMs: 5_000,
    closeTimeoutMs: 10_000,
    retry: { attempts: 5, initialMs: 5, maxMs: 40 },
    ...extra,
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe("createDelivery", () => {
  test("sends every pushed item, in order, in batches of at most maxBatchItems, on its timer", async () => {
    const r = await receiver();
    const d = createDelivery(options(() => r.url, { maxBatchItems: 7 }));
    for (const i of range(0, 50)) d.push(i);
    await until(() => r.accepted.length === 50, "all items accepted before close");
    expect(r.requests).toBe(Math.ceil(50 / 7));
    const report = await d.close();
    expect(r.accepted).toEqual(range(0, 50));
    expect(report).toEqual({ sentPoints: 50, droppedPoints: 0, reasons: [] });
  });

  test("counts points with pointsOf", async () => {
    const r = await receiver();
    const d = createDelivery(options(() => r.url, { pointsOf: (n) => n }));
    d.push(3);
    d.push(4);
    expect(await d.close()).toEqual({ sentPoints: 7, droppedPoints: 0, reasons: [] });
  });

  test("a failing receiver is retried until it recovers: nothing lost, onProblem told once each way", async () => {
    const r = await receiver("fail");
    const problems: string[] = [];
    const d = createDelivery(options(() => r.url, { retry: { attempts: 1000, initialMs: 5, maxMs: 20 }, onProblem: (m) => problems.push(m) }));
    for (const i of range(0, 10)) d.push(i);
    await until(() => r.requests >= 3, "three failed attempts");
    for (const i of range(10, 10)) d.push(i);
    r.mode = "accept";
    await until(() => r.accepted.length === 20, "every item after recovery");
    const report = await d.close();
    expect(r.accepted).toEqual(range(0, 20));
    expect(report.droppedPoints).toBe(0);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("test-output: the receiver is failing (HTTP 500: down for maintenance)");
    expect(problems[1]).toBe("test-output: the receiver recovered");
  });

  test("a receiver down for good: each batch is tried retry.attempts times, then dropped and counted with the error", async () => {
    const url = await closedPort();
    const problems: string[] = [];
    let calls = 0;
    const send = httpSend(() => url);
    const d = createDelivery(
      options(() => url, {
        send: (batch, signal) => {
          calls++;
          return send(batch, signal);
        },
        retry: { attempts: 3, initialMs: 1, maxMs: 2 },
        onProblem: (m) => problems.push(m),
      }),
    );
    for (const i of range(0, 5)) d.push(i);
    await until(() => d.report().droppedPoints === 5, "the batch dropped");
    expect(calls).toBe(3);
    const report = await d.close();
    expect(report.sentPoints).toBe(0);
    expect(report.droppedPoints).toBe(5);
    expect(report.reasons).toHaveLength(1);
    expect(report.reasons[0]).toMatch(/^5 points: /);
    expect(problems).toHaveLength(1);
  });

  test("a PermanentDeliveryError (HTTP 400) drops the batch at once, without retrying", async () => {
    const r = await receiver("reject");
    const d = createDelivery(options(() => r.url));
    for (const i of range(0, 4)) d.push(i);
    await until(() => d.report().droppedPoints === 4, "the batch dropped");
    expect(r.requests).toBe(1);
    const report = await d.close();
    expect(report.reasons).toEqual(["4 points: rejected by the receiver: HTTP 400: bad line protocol"]);
  });

  test("an attempt that gets no answer within timeoutMs is aborted and retried", async () => {
    const r = await receiver("hang");
    const d = createDelivery(options(() => r.url, { timeoutMs: 50, retry: { attempts: 2, initialMs: 1, maxMs: 1 } }));
    d.push(1);
    await until(() => d.report().droppedPoints === 1, "the batch dropped after two timeouts");
    expect(r.requests).toBe(2);
    expect((await d.close()).reasons).toEqual(["1 point: no answer within 50 ms (timeoutMs)"]);
  });

  test("past maxQueuedPoints the oldest items are dropped and counted; the newest are delivered", async () => {
    const r = await receiver("fail");
    const d = createDelivery(options(() => r.url, { maxQueuedPoints: 10, maxBatchItems: 5, retry: { attempts: 1000, initialMs: 5, maxMs: 5 } }));
    d.push(-1);
    await until(() => r.requests >= 1, "the first batch in flight");
    for (const i of range(0, 30)) d.push(i); // the one in flight holds -1; 20 of these are dropped
    expect(d.report().droppedPoints).toBe(20);
    r.mode = "accept";
    await until(() => r.accepted.length === 11, "the batch in flight and the queue's newest ten");
    const report = await d.close();
    expect(r.accepted).toEqual([-1, ...range(20, 10)]);
    expect(report).toEqual({ sentPoints: 11, droppedPoints: 20, reasons: ["20 points: queue full: the receiver is slower than the run"] });
  });

  test("close is bounded by closeTimeoutMs against a receiver that never answers, never rejects, and counts what was left", async () => {
    const r = await receiver("hang");
    const d = createDelivery(options(() => r.url, { maxBatchItems: 2, timeoutMs: 60_000, closeTimeoutMs: 100 }));
    for (const i of range(0, 6)) d.push(i);
    await until(() => r.requests >= 1, "a batch in flight");
    const report = await d.close();
    expect(report.sentPoints).toBe(0);
    expect(report.droppedPoints).toBe(6);
    expect(report.reasons).toEqual(["6 points: the output closed (closeTimeoutMs) before they were delivered"]);
  });

  test("close sends what is still queued; a push after close is dropped and counted", async () => {
    const r = await receiver();
    const d = createDelivery(options(() => r.url, { flushIntervalMs: 60_000, maxBatchItems: 3 }));
    for (const i of range(0, 8)) d.push(i);
    const closing = d.close();
    d.push(99);
    const report = await closing;
    expect(r.accepted).toEqual(range(0, 8));
    expect(report).toEqual({ sentPoints: 8, droppedPoints: 1, reasons: ["1 point: pushed after the output closed"] });
    expect(await d.close()).toEqual(report);
  });

  test("a send that throws synchronously counts as a failed attempt", async () => {
    const d = createDelivery<number>({
      ...options(() => ""),
      send: () => {
        throw new Error("cannot encode");
      },
      retry: { attempts: 2, initialMs: 1, maxMs: 1 },
    });
    d.push(1);
    expect((await d.close()).reasons).toEqual(["1 point: cannot encode"]);
  });
});

describe("createDelivery's close against a receiver already failing", () => {
  test("one more attempt, no backoff waited out: everything queued is dropped with the receiver's error", async () => {
    const url = await closedPort();
    let calls = 0;
    const problems: string[] = [];
    const send = httpSend(() => url);
    const d = createDelivery(
      options(() => url, {
        send: (batch, signal) => {
          calls++;
          return send(batch, signal);
        },
        maxBatchItems: 2,
        retry: { attempts: 1000, initialMs: 60_000, maxMs: 60_000 },
        onProblem: (m) => problems.push(m),
      }),
    );
    for (const i of range(0, 6)) d.push(i);
    await until(() => problems.length === 1, "the first attempt failed and the batch waits in backoff");
    const report = await d.close();
    expect(calls).toBe(2);
    expect(report.sentPoints).toBe(0);
    expect(report.droppedPoints).toBe(6);
    expect(report.reasons).toHaveLength(2);
    expect(report.reasons[0]).toMatch(/^2 points: .*ECONNREFUSED/);
    expect(report.reasons[1]).toMatch(/^4 points: not delivered before the output closed \(closeTimeoutMs\) while the receiver was failing: /);
  });
});

test("a receiver that starts failing during close: one immediate retry, then the batch and the rest are dropped", async () => {
  const pending: Array<(error: Error) => void> = [];
  const d = createDelivery<number>({
    ...options(() => ""),
    maxBatchItems: 2,
    timeoutMs: 30_000,
    retry: { attempts: 1000, initialMs: 60_000, maxMs: 60_000 },
    send: () => new Promise<void>((_, reject) => pending.push(reject)),
  });
  for (const i of range(0, 6)) d.push(i);
  await until(() => pending.length === 1, "the first batch in flight");
  const closing = d.close();
  pending[0]!(new Error("HTTP 503"));
  await until(() => pending.length === 2, "the immediate retry, no backoff waited out");
  pending[1]!(new Error("HTTP 503"));
  const report = await closing;
  expect(pending).toHaveLength(2);
  expect(report).toEqual({
    sentPoints: 0,
    droppedPoints: 6,
    reasons: ["2 points: HTTP 503", "4 points: not delivered before the output closed (closeTimeoutMs) while the receiver was failing: HTTP 503"],
  });
});
