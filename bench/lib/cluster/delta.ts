// Realistic per-agent-second MetricDeltas for the cluster suite, produced the way a worker
// produces them: samples recorded into the engine's own MetricStore (k6 metric names, loadr's
// tags scenario/group/name/method/status), then `takeDelta()` (HDR histograms, base64). The flow
// is the quickstart's: home, items, search, then login and me in group ::account; mostly 200s
// with a few 401/404/503; keep-alive connections with a rare reconnect. Seeded: reproducible.
import { MetricStore } from "../../../src/metrics/store.ts";
import { MetricRegistry } from "../../../src/metrics/registry.ts";
import { metricsOf } from "../../../src/config/registered.ts";
import { BUILTINS } from "../../../src/builtins.ts";
import type { MetricDelta, Tags } from "../../../src/metrics/types.ts";

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RequestModel {
  name: string;
  method: string;
  group: string;
  /** Median duration (ms) and log-normal spread. */
  medianMs: number;
  sigma: number;
  sent: number;
  received: number;
  /** Non-200 statuses and their probabilities. */
  errors: Array<[number, number]>;
  /** Checks besides "status is 200". */
  checks: string[];
}

const SCENARIO = "shoppers";
export const FLOW: readonly RequestModel[] = [
  { name: "home", method: "GET", group: "", medianMs: 12, sigma: 0.5, sent: 164, received: 343, errors: [[503, 0.001]], checks: [] },
  { name: "items", method: "GET", group: "", medianMs: 25, sigma: 0.6, sent: 168, received: 799, errors: [[503, 0.001]], checks: ["$.items[0].id exists"] },
  { name: "search", method: "GET", group: "", medianMs: 40, sigma: 0.7, sent: 181, received: 1210, errors: [[404, 0.01]], checks: [] },
  { name: "login", method: "POST", group: "::account", medianMs: 60, sigma: 0.4, sent: 257, received: 224, errors: [[401, 0.005]], checks: [] },
  { name: "me", method: "GET", group: "::account", medianMs: 8, sigma: 0.5, sent: 222, received: 125, errors: [], checks: ["$.user equals ${data.users.name}"] },
];

/** The plan the controller validates for the simulated fleet (its requests never run). */
export function clusterPlanYaml(agents: number, waitSec: number, durationSec: number): string {
  const req = (m: RequestModel, indent: string): string =>
    `${indent}- request: { name: ${m.name}, method: ${m.method}, url: /${m.name}${m.method === "POST" ? ", json: { user: u }" : ""} }\n`;
  const root = FLOW.filter((m) => m.group === "").map((m) => req(m, "      ")).join("");
  const account = FLOW.filter((m) => m.group === "::account").map((m) => req(m, "          ")).join("");
  return `name: bench-cluster
baseUrl: http://127.0.0.1:9
scenarios:
  ${SCENARIO}:
    executor: constant-vus
    vus: ${agents * 50}
    duration: ${durationSec}s
    flow:
${root}      - group: account
        steps:
${account}      - sleep: { min: 50ms, max: 150ms }
thresholds:
  http_req_duration: ["p(95)<500"]
  http_req_failed: ["rate<0.01"]
  checks: ["rate>0.99"]
cluster:
  agents: ${agents}
  wait: ${waitSec}s
`;
}

/** A log-normal sample with the given median. */
function lognormal(rand: () => number, median: number, sigma: number): number {
  const u = Math.max(rand(), 1e-12);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  return median * Math.exp(sigma * z);
}

export interface GeneratedDelta {
  delta: MetricDelta;
  /** UTF-8 JSON, exactly what an agent puts in MetricsBatch.delta. */
  bytes: Uint8Array;
  httpReqs: number;
  /** Samples recorded into the store for this delta (every `add`). */
  samples: number;
}

/**
 * One agent-second: `iterations` passes of the flow. Each request records the 11 HTTP metrics;
 * each iteration adds iterations, iteration_duration, group_duration and its checks.
 */
export function generateDelta(rand: () => number, iterations: number): GeneratedDelta {
  const store = new MetricStore(new MetricRegistry(metricsOf(BUILTINS)));
  let samples = 0;
  const add = (metric: string, value: number, tags: Tags): void => {
    store.add(metric, value, tags);
    samples++;
  };
  const base = (group: string): Tags => ({ scenario: SCENARIO, group });
  for (let it = 0; it < iterations; it++) {
    let iterationMs = 0;
    let accountMs = 0;
    for (const m of FLOW) {
      let status = 200;
      for (const [s, p] of m.errors) if (rand() < p) status = s;
      const tags: Tags = { ...base(m.group), name: m.name, method: m.method, status: String(status) };
      const duration = lognormal(rand, m.medianMs, m.sigma);
      const sending = 0.01 + rand() * 0.07;
      const receiving = 0.02 + rand() * Math.min(1.5, duration / 10);
      const reconnect = rand() < 0.005;
      const connecting = reconnect ? 0.08 + rand() * 0.9 : 0;
      const blocked = connecting + 0.001 + rand() * 0.004;
      add("http_reqs", 1, tags);
      add("http_req_duration", duration, tags);
      add("http_req_blocked", blocked, tags);
      add("http_req_connecting", connecting, tags);
      add("http_req_tls_handshaking", 0, tags);
      add("http_req_sending", sending, tags);
      add("http_req_waiting", Math.max(0, duration - sending - receiving), tags);
      add("http_req_receiving", receiving, tags);
      add("http_req_failed", status >= 400 ? 1 : 0, tags);
      add("data_sent", m.sent, tags);
      add("data_received", status === 200 ? m.received : 60, tags);
      const checkTags = base(m.group);
      add("checks", status === 200 ? 1 : 0, { ...checkTags, check: "status is 200" });
      for (const c of m.checks) add("checks", status === 200 ? 1 : 0, { ...checkTags, check: c });
      iterationMs += duration + blocked;
      if (m.group === "::account") accountMs += duration + blocked;
    }
    add("group_duration", accountMs, base("::account"));
    const sleepMs = 50 + rand() * 100;
    add("iterations", 1, { scenario: SCENARIO });
    add("iteration_duration", iterationMs + sleepMs, { scenario: SCENARIO });
  }
  const delta = store.takeDelta();
  return { delta, bytes: new TextEncoder().encode(JSON.stringify(delta)), httpReqs: countHttpReqs(delta), samples };
}

/** The sum of every http_reqs series of a delta (what the controller's merged count must reach). */
export function countHttpReqs(delta: MetricDelta): number {
  let n = 0;
  for (const [key, v] of Object.entries(delta.counters)) if (key === "http_reqs" || key.startsWith("http_reqs{")) n += v;
  return n;
}

/**
 * A pool of distinct agent-seconds, generated once before the load so the bench process does not
 * compete with the controller for CPU while it is measured. Iterations per second are uniform in
 * [minIter, maxIter] (5 requests each).
 */
export function deltaPool(size: number, seed: number, minIter: number, maxIter: number): GeneratedDelta[] {
  const rand = prng(seed);
  const out: GeneratedDelta[] = [];
  for (let i = 0; i < size; i++) out.push(generateDelta(rand, minIter + Math.floor(rand() * (maxIter - minIter + 1))));
  return out;
}
