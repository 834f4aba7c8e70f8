// The contract every ProtocolHandler must pass (DESIGN: one shared suite per seam). A protocol's
// test file calls `protocolHandlerContract` with its handler and a factory for targets that
// speak it: one that answers, a port where nothing listens, and one that never answers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ProtocolHandler, ResolvedRequest } from "../../src/protocols/types.ts";
import type { MetricSink, Tags } from "../../src/metrics/types.ts";
import { MemoryCookieJar } from "../../src/core/cookies.ts";

export interface ContractTargets {
  /** A request the target answers successfully. */
  ok: ResolvedRequest;
  /** A request to an address where nothing listens. */
  refused: ResolvedRequest;
  /** A request the target accepts and never answers (its `timeout` is short). */
  silent: ResolvedRequest;
  stop(): Promise<void>;
}

interface Recorded {
  metric: string;
  value: number;
  tags: Tags;
}

function recordingSink(): MetricSink & { samples: Recorded[] } {
  const samples: Recorded[] = [];
  return { samples, add: (metric, value, tags) => void samples.push({ metric, value, tags: { ...tags } }) };
}

export function protocolHandlerContract(handler: ProtocolHandler, makeTargets: () => Promise<ContractTargets>): void {
  describe(`ProtocolHandler contract: ${handler.protocol}`, () => {
    let targets: ContractTargets;
    beforeAll(async () => {
      targets = await makeTargets();
    });
    afterAll(async () => {
      await targets.stop();
    });

    function open() {
      const metrics = recordingSink();
      const session = handler.openSession({ vu: 1, cookies: new MemoryCookieJar(), metrics });
      return { session, metrics };
    }

    test("a successful send resolves without error and records samples with the given tags", async () => {
      const { session, metrics } = open();
      const response = await session.send(targets.ok, { scenario: "contract" });
      session.close();
      expect(response.error).toBeUndefined();
      expect(response.status).toBeGreaterThan(0);
      expect(response.timings.duration).toBeGreaterThanOrEqual(0);
      expect(metrics.samples.length).toBeGreaterThan(0);
      expect(metrics.samples.every((s) => s.tags.scenario === "contract")).toBe(true);
    });

    test("a refused connection resolves with an error and is recorded, never thrown", async () => {
      const { session, metrics } = open();
      const response = await session.send(targets.refused, { scenario: "contract" });
      session.close();
      expect(response.status).toBe(0);
      expect(response.error?.code).toBeTruthy();
      expect(response.error?.message.length).toBeGreaterThan(10);
      expect(metrics.samples.some((s) => s.tags.error === response.error?.code)).toBe(true);
    });

    test("a target that never answers resolves at the request timeout", async () => {
      const { session } = open();
      const started = performance.now();
      const response = await session.send(targets.silent, { scenario: "contract" });
      const elapsed = performance.now() - started;
      session.close();
      expect(response.error?.code).toBe("timeout");
      expect(elapsed).toBeGreaterThanOrEqual(targets.silent.timeout - 5);
      expect(elapsed).toBeLessThan(targets.silent.timeout + 2_000);
    });

    test("an abort ends an in-flight send promptly", async () => {
      const { session } = open();
      const controller = new AbortController();
      const pending = session.send({ ...targets.silent, timeout: 30_000 }, { scenario: "contract" }, controller.signal);
      setTimeout(() => controller.abort(), 50);
      const started = performance.now();
      const response = await pending;
      session.close();
      expect(response.error).toBeDefined();
      expect(performance.now() - started).toBeLessThan(2_000);
    });

    test("sends on one session run one after another, and close is idempotent", async () => {
      const { session } = open();
      for (let i = 0; i < 5; i++) expect((await session.send(targets.ok, {})).error).toBeUndefined();
      session.close();
      session.close();
    });
  });
}
