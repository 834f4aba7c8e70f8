// Test doubles for executor and scheduler tests: a scenario builder, fake VUs that record their
// calls and spend fake time, and a metric sink that keeps what it was given.
import type { ExecutorConfig, ScenarioSpec } from "../../../src/config/plan.ts";
import type { ConstantVusConfig } from "../../../src/executors/constant-vus.ts";
import type { PerVuIterationsConfig } from "../../../src/executors/per-vu-iterations.ts";
import type { SharedIterationsConfig } from "../../../src/executors/shared-iterations.ts";
import type { RampingVusConfig } from "../../../src/executors/ramping-vus.ts";
import type { ConstantArrivalRateConfig } from "../../../src/executors/constant-arrival-rate.ts";
import type { RampingArrivalRateConfig } from "../../../src/executors/ramping-arrival-rate.ts";
import type { ExternallyControlledConfig } from "../../../src/executors/externally-controlled.ts";
import type { ExecutorModule } from "../../../src/plugin-api/types.ts";
import { EXECUTORS } from "../../../src/executors/registry.ts";
import type { MetricSink, Tags } from "../../../src/metrics/types.ts";
import type { VuFactory, VirtualUser } from "../../../src/core/vu.ts";
import type { Clock } from "../../../src/core/clock.ts";

/** A config of one of the built-in executors. */
export type BuiltinConfig =
  | ConstantVusConfig
  | PerVuIterationsConfig
  | SharedIterationsConfig
  | RampingVusConfig
  | ConstantArrivalRateConfig
  | RampingArrivalRateConfig
  | ExternallyControlledConfig;

/**
 * A scenario running `executor`, with durationMs and maxVus as the loader computes them (from
 * `executors`, the built-ins by default).
 */
export function scenario<C extends ExecutorConfig = BuiltinConfig>(
  executor: C,
  extra: Partial<ScenarioSpec> = {},
  executors: Readonly<Record<string, ExecutorModule<any, any>>> = EXECUTORS,
): ScenarioSpec {
  const syntax = executors[executor.type]!;
  return {
    name: "s",
    executor,
    durationMs: syntax.durationMs(executor),
    maxVus: syntax.maxVus(executor),
    startTime: 0,
    gracefulStop: 30_000,
    env: {},
    tags: {},
    flow: [],
    loc: { file: "test.yaml", line: 1, column: 1 },
    ...extra,
  };
}

export interface IterationRecord {
  scenario: string;
  vu: number;
  start: number;
  end?: number;
  interrupted?: boolean;
}

/** VUs whose iterations take `iterationMs(vu, n)` of the clock's time (n: the VU's 0-based iteration). */
export class FakeVus {
  readonly iterations: IterationRecord[] = [];
  readonly created: number[] = [];
  readonly closed: number[] = [];
  running = 0;
  maxRunning = 0;

  constructor(
    private readonly clock: Clock,
    private readonly iterationMs: (vu: number, n: number) => number = () => 100,
  ) {}

  readonly factory: VuFactory = (spec, id) => {
    this.created.push(id);
    let n = 0;
    const vu: VirtualUser = {
      id,
      runIteration: async (signal) => {
        const record: IterationRecord = { scenario: spec.name, vu: id, start: this.clock.now() };
        this.iterations.push(record);
        this.running++;
        this.maxRunning = Math.max(this.maxRunning, this.running);
        await this.clock.sleep(this.iterationMs(id, n++), signal);
        this.running--;
        record.end = this.clock.now();
        record.interrupted = signal.aborted;
      },
      close: () => this.closed.push(id),
    };
    return vu;
  };

  byVu(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const it of this.iterations) counts.set(it.vu, (counts.get(it.vu) ?? 0) + 1);
    return counts;
  }
}

export class RecordingSink implements MetricSink {
  readonly samples: Array<{ metric: string; value: number; tags: Tags }> = [];
  add(metric: string, value: number, tags: Tags): void {
    this.samples.push({ metric, value, tags });
  }
  values(metric: string): number[] {
    return this.samples.filter((s) => s.metric === metric).map((s) => s.value);
  }
  sum(metric: string): number {
    return this.values(metric).reduce((a, b) => a + b, 0);
  }
}
