// Jittered exponential backoff for an agent's reconnects: base × 2^attempt, capped, times a
// random factor in [0.5, 1) so a fleet that lost its controller does not reconnect in lockstep.
export const RECONNECT_BASE_MS = 250;
export const RECONNECT_MAX_MS = 10_000;

/** Delay before reconnect attempt `attempt` (0 for the first retry). `random` in [0, 1). */
export function backoffDelay(attempt: number, random: number = Math.random(), baseMs = RECONNECT_BASE_MS, maxMs = RECONNECT_MAX_MS): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.round(ceiling * (0.5 + 0.5 * Math.min(Math.max(random, 0), 1)));
}
