// Reading agents' metric batches into a run: the delta is JSON (the shared MetricDelta), and the
// vus / vus_max gauges are per agent, so the fleet's value is their sum rather than the latest
// write. Pure helpers used by ControllerRun.
import type { MetricDelta } from "../../metrics/types.ts";

export interface AgentBatch {
  /** The delta without the vus gauges, ready for Aggregator.merge. */
  delta: MetricDelta;
  vus?: number;
  vusMax?: number;
}

/** Decodes a MetricsBatch delta; undefined when it is not a JSON delta. */
export function readAgentBatch(bytes: Uint8Array): AgentBatch | undefined {
  let parsed: Partial<MetricDelta>;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes)) as Partial<MetricDelta>;
  } catch {
    return undefined;
  }
  const gauges = { ...(parsed.gauges ?? {}) };
  const batch: AgentBatch = {
    delta: { ...parsed, counters: parsed.counters ?? {}, rates: parsed.rates ?? {}, gauges, trends: parsed.trends ?? {} },
  };
  if ("vus" in gauges) batch.vus = gauges.vus;
  if ("vus_max" in gauges) batch.vusMax = gauges.vus_max;
  delete gauges.vus;
  delete gauges.vus_max;
  return batch;
}

interface AgentVus {
  state: string;
  vus: number;
  vusMax: number;
  activeVus: number;
}

const busy = (a: AgentVus) => a.state === "assigned" || a.state === "running";

/** VUs of the fleet now: each agent's last vus gauge, or its heartbeat's count before one arrived. */
export function fleetVus(agents: Iterable<AgentVus>): number {
  let sum = 0;
  for (const a of agents) if (busy(a)) sum += a.vus || a.activeVus;
  return sum;
}

export function fleetVusMax(agents: Iterable<AgentVus>): number {
  let sum = 0;
  for (const a of agents) sum += a.vusMax;
  return sum;
}
