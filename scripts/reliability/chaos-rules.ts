// What the chaos script (scripts/chaos.ts) expects of each run, by fault and onAgentLoss policy,
// and how it judges the counts. Pure. The rules:
//
//   fault                              continue                 abort
//   agent kill -9                      finished, bounded        aborted, bounded + cut requests
//   agent kill -STOP, then -CONT,      finished, exact          finished, exact
//     shorter than the liveness window
//   ... longer than the window         finished, exact          aborted, bounded + cut requests
//   agent SIGTERM (systemd's stop)     finished, exact          aborted, bounded + cut requests
//     (the agent exits within 5 s and its final delta is counted; under abort its share stopped)
//   controller kill -9                 interrupted once it is back; the agents stop their load
//
// "bounded": 0 ≤ target − reported ≤ Σ over lost agents of the summary's
// unreportedEstimate.requests (+1 %, +1 for rounding). "cut requests": a KILL control ends every
// VU at once, each with at most one request in flight, so up to vus_max more. "exact": equal.
// Reported more than the target counted is always a violation (double counting).

export type FaultKind = "agent-kill9" | "agent-stop" | "agent-term" | "controller-kill9";
export const FAULT_KINDS: readonly FaultKind[] = ["agent-kill9", "agent-stop", "agent-term", "controller-kill9"];
export type Policy = "continue" | "abort";

/** Stops within this margin of the liveness window are not drawn (either outcome would be right). */
export const WINDOW_MARGIN_MS = 2_000;
/** `systemctl stop` waits this long before SIGKILL (issue 11: the agent must exit within 5 s). */
export const TERM_EXIT_MS = 5_000;

export interface Fault {
  kind: FaultKind;
  /** Which agent (index), for agent faults. */
  agent: number;
  /** When, after the run's start barrier. */
  atMs: number;
  /** How long an agent stays stopped (agent-stop). */
  stopMs: number;
}

export interface Expectation {
  statuses: readonly string[];
  counts: "exact" | "bounded" | "none";
  /** A KILL control cuts running requests (abort policy). */
  cut: boolean;
}

export function expectationOf(fault: Fault, policy: Policy, livenessMs: number): Expectation {
  const lost = fault.kind === "agent-kill9" || (fault.kind === "agent-stop" && fault.stopMs > livenessMs);
  switch (fault.kind) {
    case "controller-kill9":
      return { statuses: ["interrupted"], counts: "none", cut: false };
    case "agent-term":
      // An orderly stop flushes the agent's final delta, but its share stops running: under
      // `abort` that ends the fleet (the others are killed, cutting their requests in flight).
      if (policy === "abort") return { statuses: ["aborted"], counts: "bounded", cut: true };
      return { statuses: ["finished"], counts: "exact", cut: false };
    default:
      if (!lost) return { statuses: ["finished"], counts: "exact", cut: false };
      if (policy === "abort") return { statuses: ["aborted"], counts: "bounded", cut: true };
      return { statuses: ["finished"], counts: fault.kind === "agent-stop" ? "exact" : "bounded", cut: false };
  }
}

/** A random fault: `rand` uniform in [0, 1); the moment within [20 %, 60 %] of the run. */
export function drawFault(rand: () => number, kinds: readonly FaultKind[], agents: number, durationMs: number, livenessMs: number): Fault {
  const kind = kinds[Math.floor(rand() * kinds.length)]!;
  const short = 1_000 + rand() * (livenessMs - WINDOW_MARGIN_MS - 1_000);
  const long = livenessMs + WINDOW_MARGIN_MS + rand() * 2_000;
  return {
    kind,
    agent: Math.floor(rand() * agents),
    atMs: Math.round(durationMs * (0.2 + 0.4 * rand())),
    stopMs: Math.round(rand() < 0.5 ? short : long),
  };
}

export interface LostAgent {
  name: string;
  unreportedRequests?: number;
}

export interface CountVerdict {
  ok: boolean;
  /** The allowed gap (target − reported), when counts are bounded and the summary states its part. */
  bound?: number;
  why?: string;
}

/** Judges reported vs target for one run. */
export function judgeCounts(e: Expectation, target: number, reported: number, lost: readonly LostAgent[], vusMax: number): CountVerdict {
  if (e.counts === "none") return { ok: true };
  const gap = target - reported;
  if (gap < 0) return { ok: false, why: `reported ${reported} is more than the target's ${target}: requests counted twice` };
  if (e.counts === "exact") return gap === 0 ? { ok: true, bound: 0 } : { ok: false, bound: 0, why: `${gap} request(s) the target served are missing from the summary` };
  const unstated = lost.filter((a) => a.unreportedRequests === undefined).map((a) => a.name);
  if (unstated.length > 0) return { ok: gap === 0, why: gap === 0 ? undefined : `the summary states no unreportedEstimate for lost agent(s) ${unstated.join(", ")}, so nothing bounds the gap of ${gap}` };
  const bound = lost.reduce((n, a) => n + Math.ceil(a.unreportedRequests! * 1.01) + 1, 0) + (e.cut ? vusMax : 0);
  return gap <= bound ? { ok: true, bound } : { ok: false, bound, why: `the gap of ${gap} exceeds the stated bound of ${bound}` };
}
