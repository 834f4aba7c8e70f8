// The cluster suite's figures, pure: the issue's targets (issue 5, item 5: 200 agents' batches
// merged under 25% of one core; under 10 KB = 10,000 bytes per agent per second), the simulated
// agents' cadence, and the per-agent wire rate. Shared by the suite and the reports.
export const CLUSTER_TARGETS = { agents: 200, cpuPct: 25, wireBytes: 10_000 } as const;

/**
 * The CPU target for a fleet of `agents`: the same cost per agent as issue 5's (25 % of one core
 * for 200 agents), so 1,000 agents may take 125 %. A per-agent budget, not a promise of linearity.
 */
export function cpuTargetPct(agents: number): number {
  return (CLUSTER_TARGETS.cpuPct * agents) / CLUSTER_TARGETS.agents;
}

/** "pass" when `value` is under `limit`; null when there is no value. */
export function verdict(value: number | null, limit: number): "pass" | "FAIL" | null {
  return value === null ? null : value < limit ? "pass" : "FAIL";
}

/** A simulated agent's cadence, as `loadr agent`'s: one MetricsBatch per second, a heartbeat every 2 s. */
export const BATCH_MS = 1_000;
export const HEARTBEAT_MS = 2_000;

export interface WireCounts {
  batches: number;
  batchBytes: number;
  heartbeats: number;
  heartbeatBytes: number;
}

/** Bytes per agent per second at the fleet's cadence: mean batch × batches/s + mean heartbeat × heartbeats/s. */
export function bytesPerAgentSec(t: WireCounts): number | null {
  if (t.batches === 0) return null;
  const hb = t.heartbeats > 0 ? t.heartbeatBytes / t.heartbeats : 0;
  return (t.batchBytes / t.batches) * (1000 / BATCH_MS) + hb * (1000 / HEARTBEAT_MS);
}
