import { expect, test } from "bun:test";
import { MetricStore } from "../../../src/metrics/store.ts";
import { JsonlOutput } from "../../../src/outputs/jsonl.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

test("writes one line per interval with that interval's figures, nothing for empty intervals", async () => {
  const lines: string[] = [];
  let ended = false;
  let mono = 0;
  const out = new JsonlOutput({
    path: "mem",
    intervalMs: 3_600_000, // flushed by hand below
    sink: { write: (t) => void lines.push(t), end: async () => void (ended = true) },
    now: () => Date.UTC(2025, 0, 1),
    monotonic: () => mono,
  });
  expect(out.description).toBe("jsonl (mem)");
  await out.start();
  const store = new MetricStore(builtinRegistry());
  for (let i = 1; i <= 10; i++) {
    store.add("http_reqs", 1, { status: "200" });
    store.add("http_req_duration", i, {});
  }
  out.add({ unixMs: 0, elapsedMs: 1000, delta: store.takeDelta() });
  mono = 1000;
  out.flush();
  out.flush(); // nothing new: no line
  store.add("http_reqs", 1, {});
  out.add({ unixMs: 0, elapsedMs: 2000, delta: store.takeDelta() });
  mono = 2000;
  await out.stop();
  expect(ended).toBe(true);
  expect(lines).toHaveLength(2);
  const first = JSON.parse(lines[0]!);
  expect(first.time).toBe("2025-01-01T00:00:00.000Z");
  expect(first.elapsedMs).toBe(1000);
  expect(first.metrics.http_reqs).toEqual({ count: 10, rate: 10 });
  expect(first.metrics.http_req_duration.count).toBe(10);
  expect(first.metrics.http_req_duration["p(95)"]).toBeCloseTo(10, 1);
  const second = JSON.parse(lines[1]!);
  expect(second.metrics).toEqual({ http_reqs: { count: 1, rate: 1 } });
});
