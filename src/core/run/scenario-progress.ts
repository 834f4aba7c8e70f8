// Per-scenario progress of a run, added up over its segments. One mechanism at both boundaries:
// the main thread adds up its worker threads' statuses (core/run/local-run.ts), the controller
// its agents' (cluster/controller/run-metrics.ts). Pure.
//
// A segment's status is core/scheduler.ts `ScenarioStatus`. Adding up: VUs, iteration counts and
// planned iterations are summed; the scenario's time is the furthest segment's; it is "running"
// while any segment runs, "done" once every segment is done, "waiting" otherwise.
import type { ScenarioStatus } from "../scheduler.ts";
import type { SummaryScenario } from "./summary.ts";

export type { ScenarioStatus };

/** Most scenarios a status list may carry across a boundary (a plan with more is refused at load). */
export const MAX_SCENARIOS = 1000;
/** Largest count accepted across a boundary: far beyond any real run, small enough to add exactly. */
const MAX_COUNT = 2 ** 48;

/** The segments' statuses added up per scenario, in the order scenarios first appear. */
export function mergeScenarioStatuses(lists: Iterable<readonly ScenarioStatus[]>): ScenarioStatus[] {
  const merged = new Map<string, ScenarioStatus>();
  const states = new Map<string, Set<ScenarioStatus["state"]>>();
  for (const list of lists) {
    for (const s of list) {
      const seen = states.get(s.name) ?? new Set();
      seen.add(s.state);
      states.set(s.name, seen);
      const m = merged.get(s.name);
      if (!m) {
        merged.set(s.name, { ...s });
        continue;
      }
      m.activeVus += s.activeVus;
      m.maxVus += s.maxVus;
      m.iterations += s.iterations;
      m.completed += s.completed;
      m.interrupted += s.interrupted;
      m.dropped += s.dropped;
      m.elapsedMs = Math.max(m.elapsedMs, s.elapsedMs);
      m.durationMs = m.durationMs === null || s.durationMs === null ? null : Math.max(m.durationMs, s.durationMs);
      m.plannedIterations = m.plannedIterations === null || s.plannedIterations === null ? null : m.plannedIterations + s.plannedIterations;
    }
  }
  for (const [name, m] of merged) {
    const seen = states.get(name)!;
    m.state = seen.has("running") ? "running" : seen.size === 1 && seen.has("done") ? "done" : "waiting";
  }
  return [...merged.values()];
}

/**
 * Reads statuses that crossed a trust boundary (an agent's batch): a list of at most
 * MAX_SCENARIOS entries, each naming one of `scenarios` once, with whole non-negative counts.
 * The list, or what is wrong with it.
 */
export function readScenarioStatuses(value: unknown, scenarios: ReadonlySet<string>): ScenarioStatus[] | { error: string } {
  if (!Array.isArray(value)) return { error: "scenarios is not a list" };
  if (value.length > Math.min(MAX_SCENARIOS, scenarios.size)) return { error: `${value.length} scenario statuses for a plan of ${scenarios.size} scenario(s)` };
  const out: ScenarioStatus[] = [];
  const names = new Set<string>();
  for (const [i, raw] of value.entries()) {
    const problem = statusProblem(raw, scenarios);
    if (problem) return { error: `scenario status ${i + 1}: ${problem}` };
    const s = raw as ScenarioStatus;
    if (names.has(s.name)) return { error: `scenario ${s.name} appears twice` };
    names.add(s.name);
    out.push({
      name: s.name, executor: s.executor, state: s.state, activeVus: s.activeVus, maxVus: s.maxVus, iterations: s.iterations,
      completed: s.completed, interrupted: s.interrupted, dropped: s.dropped, startTime: s.startTime, elapsedMs: s.elapsedMs, durationMs: s.durationMs,
      plannedIterations: s.plannedIterations,
    });
  }
  return out;
}

const COUNTS = ["activeVus", "maxVus", "iterations", "completed", "interrupted", "dropped", "startTime", "elapsedMs"] as const;
const STATES: readonly string[] = ["waiting", "running", "done"];

function statusProblem(raw: unknown, scenarios: ReadonlySet<string>): string | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return "not an object";
  const s = raw as Record<string, unknown>;
  if (typeof s.name !== "string" || !scenarios.has(s.name)) return `names no scenario of the plan (${JSON.stringify(String(s.name)).slice(0, 80)})`;
  if (typeof s.executor !== "string" || s.executor.length > 200) return "executor is not a name";
  if (typeof s.state !== "string" || !STATES.includes(s.state)) return `state must be one of ${STATES.join(", ")}`;
  for (const key of COUNTS) if (!isCount(s[key])) return `${key} is not a whole number from 0 to 2^48`;
  for (const key of ["durationMs", "plannedIterations"] as const) {
    if (s[key] !== null && !isCount(s[key])) return `${key} is neither null nor a whole number from 0 to 2^48`;
  }
  return undefined;
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX_COUNT;
}

/** The summary's scenarios: each declared one with its final counts, when the load generators reported them. */
export function summaryScenarios(declared: readonly SummaryScenario[], final: readonly ScenarioStatus[] | undefined): SummaryScenario[] {
  return declared.map((d) => {
    const s = final?.find((f) => f.name === d.name);
    return s ? { ...d, completed: s.completed, interrupted: s.interrupted, dropped: s.dropped, maxVus: s.maxVus } : { ...d };
  });
}
