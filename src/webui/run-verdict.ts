// A run's verdict in one word, from its exit code (k6's: 0 passed, 99 a threshold failed, 105
// stopped from outside): the web UI's runs list, run page and compare page. Pure and DOM-free.

/** The verdict of a run from its exit code (k6's: 0 passed, 99 a threshold failed). */
export function verdictOf(run: { exitCode?: number; status: string }): { text: string; kind: "ok" | "fail" | "warn" | "none" } {
  if (run.exitCode === undefined) return { text: run.status, kind: "none" };
  if (run.exitCode === 0) return { text: "passed", kind: "ok" };
  if (run.exitCode === 99) return { text: "thresholds failed", kind: "fail" };
  if (run.exitCode === 105) return { text: "stopped", kind: "warn" };
  return { text: `exit ${run.exitCode}`, kind: "fail" };
}
