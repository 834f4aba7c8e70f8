// A request to scale a running scenario, checked once for every host that accepts it: the local
// control API (cli/run/control-api.ts) and the controller's run API (cluster/controller/
// run-controls.ts) refuse the same requests in the same words. `vus` is the scenario-wide count:
// each process (worker, agent) takes its own segment's share of it (LocalRun.scale). Pure.

export interface ScaleRequest {
  scenario: string;
  /** Scenario-wide VUs, a whole number ≥ 0. */
  vus: number;
}

/** Names of the scenarios that accept `scale`, in plan order. */
export function scalableScenarios(
  scenarios: ReadonlyArray<{ name: string; executor: { type: string } }>,
  executors: Readonly<Record<string, { scale?: unknown }>>,
): string[] {
  return scenarios.filter((s) => typeof executors[s.executor.type]?.scale === "function").map((s) => s.name);
}

/**
 * Reads a scale request's JSON body. Without a scenario name the first scalable scenario is meant.
 * Returns the request, or the sentence that says what is wrong and what to send instead.
 */
export function readScaleRequest(body: unknown, scalable: readonly string[]): ScaleRequest | { error: string } {
  const fields = (typeof body === "object" && body !== null ? body : {}) as { scenario?: unknown; vus?: unknown };
  const scenario = typeof fields.scenario === "string" ? fields.scenario : scalable[0];
  const vus = fields.vus;
  if (typeof vus !== "number" || !Number.isInteger(vus) || vus < 0) {
    return { error: 'send JSON {"scenario": NAME, "vus": N} with a whole number N >= 0' };
  }
  if (!scenario || !scalable.includes(scenario)) {
    return { error: `scenario "${scenario ?? ""}" cannot be scaled (its executor has no run-time VU count); scalable: ${scalable.join(", ") || "none"}` };
  }
  return { scenario, vus };
}
