// The output contract (src/outputs/types.ts) for every output in src/outputs/registry.ts: `start`
// then `add` of a run's snapshots (hostile tag values included: commas, quotes, `=`, spaces,
// newlines, `|#:@`, non-ASCII) then `stop` — `add` never throws, `stop` resolves, the points reach
// the receiver (a file, a local HTTP server on port 0, a UDP socket, a scraper), and against a receiver that
// is down `add` still never throws, `stop` still resolves, and `report()` counts what was lost.
// Every registered output needs a fixture below: a new output without one fails this suite.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSocket, type Socket } from "node:dgram";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunLoop } from "../../src/core/run/run-loop.ts";
import { ThresholdEvaluator } from "../../src/core/thresholds/evaluator.ts";
import { Aggregator } from "../../src/metrics/aggregator.ts";
import { MetricStore } from "../../src/metrics/store.ts";
import { OUTPUTS } from "../../src/outputs/registry.ts";
import { outputConsumer } from "../../src/outputs/run-consumer.ts";
import type { Output } from "../../src/outputs/types.ts";
import snappy from "snappyjs";
import { writeRequestType } from "../../src/outputs/prometheus-rw/write-request.ts";
import { builtinRegistry } from "../helpers/metrics.ts";
import { officialRequestType } from "../helpers/otlp-receiver.ts";

interface Receivers {
  dir: string;
  httpUrl: string;
  /** Bodies the HTTP receiver accepted, as text and as bytes (protobuf, snappy). */
  httpBodies: string[];
  httpRaw: Array<{ path: string; body: Buffer }>;
  udpPort: number;
  datagrams: Buffer[];
  closedPort: number;
  /** A free port for the scrape endpoint. */
  scrapePort: number;
}

interface Fixture {
  /** The argument of `--out NAME=ARGUMENT` for a receiver that works. */
  argument(r: Receivers): string;
  /** What reached the receiver, as text (empty when nothing did). */
  received(r: Receivers, argument: string): string;
  /** An argument whose receiver is down (network outputs). */
  down?(r: Receivers): string;
  /** Options beside `flushInterval`. */
  options?: Record<string, unknown>;
}

/** Remote-write bodies (snappy, protobuf) as JSON text. */
const remoteWriteText = (r: Receivers) =>
  r.httpRaw.filter((b) => b.path === "/api/v1/write").map((b) => JSON.stringify(writeRequestType().decode(snappy.uncompress(new Uint8Array(b.body))).toJSON())).join("");
/** OTLP bodies decoded with the OpenTelemetry protos, as JSON text. */
const otlpText = (r: Receivers) =>
  r.httpRaw.filter((b) => b.path === "/v1/metrics").map((b) => JSON.stringify(officialRequestType().decode(new Uint8Array(b.body)).toJSON())).join("");

/** The scrape endpoint's receiver: a scraper polling HOST:PORT until the output closes; the last text it read. */
const scraped = new Map<string, string>();
function scrapeWhileUp(address: string): string {
  void (async () => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const text = await fetch(`http://${address}/metrics`).then((res) => res.text(), () => undefined);
      if (text !== undefined) scraped.set(address, text);
      else if (scraped.has(address)) return;
      await Bun.sleep(20);
    }
  })();
  return address;
}

const fileText = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : "");
const FIXTURES: Record<string, Fixture> = {
  jsonl: { argument: (r) => join(r.dir, "out.jsonl"), received: (_, a) => fileText(a) },
  csv: { argument: (r) => join(r.dir, "out.csv"), received: (_, a) => fileText(a) },
  influxdb: { argument: (r) => `${r.httpUrl}/write?db=k6`, received: (r) => r.httpBodies.join(""), down: (r) => `http://127.0.0.1:${r.closedPort}/write?db=k6` },
  statsd: { argument: (r) => `127.0.0.1:${r.udpPort}`, received: (r) => r.datagrams.join("\n"), down: (r) => `127.0.0.1:${r.closedPort}` },
  "prometheus-rw": { argument: (r) => `${r.httpUrl}/api/v1/write`, received: remoteWriteText, down: (r) => `http://127.0.0.1:${r.closedPort}/api/v1/write` },
  otlp: { argument: (r) => `${r.httpUrl}/v1/metrics`, received: otlpText, down: (r) => `http://127.0.0.1:${r.closedPort}/v1/metrics` },
  prometheus: { argument: (r) => scrapeWhileUp(`127.0.0.1:${r.scrapePort}`), received: (_, a) => scraped.get(a) ?? "", options: { finalScrapeTimeout: 10_000 } },
};

const HOSTILE = ['a,b', 'say "hi"', "k=v", "two words", "line\nbreak", "pipe|hash#colon:at@", "ünï©ødé", "back\\slash", ""];

let receivers: Receivers;
let http: Server;
let udp: Socket;

beforeAll(async () => {
  const httpBodies: string[] = [];
  const httpRaw: Array<{ path: string; body: Buffer }> = [];
  http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      httpRaw.push({ path: req.url ?? "", body: Buffer.concat(chunks) });
      httpBodies.push(Buffer.concat(chunks).toString());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  udp = createSocket("udp4");
  const datagrams: Buffer[] = [];
  udp.on("message", (m) => datagrams.push(m));
  await new Promise<void>((r) => udp.bind(0, "127.0.0.1", r));
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const probe2 = createServer();
  await new Promise<void>((r) => probe2.listen(0, "127.0.0.1", r));
  const scrapePort = (probe2.address() as AddressInfo).port;
  await new Promise<void>((r) => probe2.close(() => r()));
  receivers = {
    dir: mkdtempSync(join(tmpdir(), "loadr-output-contract-")),
    httpUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    httpBodies,
    httpRaw,
    udpPort: udp.address().port,
    datagrams,
    closedPort,
    scrapePort,
  };
});

afterAll(async () => {
  await new Promise<void>((r) => http.close(() => r()));
  udp.close();
  rmSync(receivers.dir, { recursive: true, force: true });
});

/** Three ticks and the final snapshot of a run with hostile tag values, through the run loop. */
async function feed(output: Output): Promise<void> {
  const registry = builtinRegistry();
  const aggregator = new Aggregator(registry);
  const store = new MetricStore(registry);
  let elapsedMs = 0;
  const loop = new RunLoop({ aggregator, thresholds: new ThresholdEvaluator([]), status: () => ({ elapsedMs, activeVus: 1, maxVus: 1, reporting: true }), consumers: [outputConsumer(output)] });
  for (let tick = 0; tick < 3; tick++) {
    for (const [i, value] of HOSTILE.entries()) {
      const tags = { name: value, url: `/x?${value}`, status: "200", [`tag ${value}`]: value };
      store.add("http_reqs", 1, tags);
      store.add("http_req_duration", 10 + i, tags);
      store.add("http_req_failed", i % 2, tags);
    }
    aggregator.merge(store.takeDelta());
    elapsedMs += 1000;
    loop.tick();
  }
  await loop.finish({ summary: { planName: "contract", scenarios: [], notes: [] } });
}

describe("every registered output", () => {
  test("has a fixture in this suite", () => {
    expect(Object.keys(OUTPUTS).filter((name) => !FIXTURES[name])).toEqual([]);
  });

  for (const [name, module] of Object.entries(OUTPUTS)) {
    const fixture = FIXTURES[name];
    if (!fixture) continue;
    describe(name, () => {
      test("declares its options as valibot entries and a usage line that starts with NAME=", () => {
        expect(module.name).toBe(name);
        expect(module.usage.startsWith(`${name}=`)).toBe(true);
        for (const entry of Object.values(module.options)) expect(typeof (entry as { "~run"?: unknown })["~run"]).toBe("function");
      });

      test("start, add (hostile tags) and stop: nothing throws, the points reach the receiver, nothing is dropped", async () => {
        const argument = fixture.argument(receivers);
        const output = module.create(argument, { flushInterval: 20, ...fixture.options }, { cwd: receivers.dir, planName: "contract" });
        expect(output.description.length).toBeGreaterThan(0);
        await output.start();
        await feed(output);
        // A datagram may still be on its way to the socket in this process: wait for it, bounded.
        const deadline = Date.now() + 10_000;
        while (!fixture.received(receivers, argument).includes("http_reqs") && Date.now() < deadline) await Bun.sleep(10);
        expect(fixture.received(receivers, argument)).toContain("http_reqs");
        const report = output.report?.();
        if (report) expect(report.droppedPoints).toBe(0);
        if (existsSync(argument)) expect(statSync(argument).size).toBeGreaterThan(0);
      });

      if (fixture.down) {
        test("a receiver that is down: add never throws, stop resolves, report() adds up", async () => {
          const problems: string[] = [];
          const output = module.create(fixture.down!(receivers), { flushInterval: 20 }, { cwd: receivers.dir, planName: "contract", onProblem: (m) => problems.push(m) });
          await output.start();
          await feed(output);
          const report = output.report!();
          expect(report.sentPoints + report.droppedPoints).toBeGreaterThan(0);
          expect(report.droppedPoints === 0 || report.reasons.length > 0).toBe(true);
        }, 30_000);
      }
    });
  }
});
