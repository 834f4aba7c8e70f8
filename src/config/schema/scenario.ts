// Schema of a scenario: the executor picks which k6 options are allowed. Options of another
// executor are errors that name the executor; an unknown executor still gets its flow checked.
import * as v from "valibot";
import { didYouMean } from "../suggest.ts";
import { byKey, duration, failWith, int, isRecord, list, map, num, optional, scalar, SCHEMA_INFO, strict, type Schema } from "./helpers.ts";
import { flow } from "./steps.ts";

export const EXECUTORS = [
  "constant-vus",
  "per-vu-iterations",
  "shared-iterations",
  "ramping-vus",
  "constant-arrival-rate",
  "ramping-arrival-rate",
  "externally-controlled",
] as const;

const common = {
  startTime: optional(duration),
  gracefulStop: optional(duration),
  env: optional(map(scalar, "environment variables")),
  tags: optional(map(scalar, "tags")),
  flow,
};

const stage: Schema = strict({ duration, target: num(0) }, "stage");
const stages = optional(list(stage, "stages"));

/**
 * `profile:` — a shorthand for `stages` (ramping-vus, ramping-arrival-rate); see `profile.ts`.
 */
const PROFILES: Record<string, Schema> = {
  ramp: strict({ ramp: strict({ from: optional(num(0)), to: num(0), duration }, "ramp profile") }, "profile"),
  step: strict(
    { step: strict({ from: optional(num(0)), to: num(0), steps: int(1), stepDuration: duration }, "step profile") },
    "profile",
  ),
  spike: strict(
    { spike: strict({ base: optional(num(0)), peak: num(0), rampUp: duration, hold: duration, rampDown: duration }, "spike profile") },
    "profile",
  ),
};
const profile = optional(byKey("profile", () => PROFILES, "profile"));

/** Each executor's own options (k6 names). */
export const EXECUTOR_OPTIONS: Record<(typeof EXECUTORS)[number], v.ObjectEntries> = {
  "constant-vus": { vus: optional(int(1)), duration },
  "per-vu-iterations": { vus: optional(int(1)), iterations: optional(int(1)), maxDuration: optional(duration) },
  "shared-iterations": { vus: optional(int(1)), iterations: optional(int(1)), maxDuration: optional(duration) },
  "ramping-vus": { startVUs: optional(int(0)), stages, profile, gracefulRampDown: optional(duration) },
  "constant-arrival-rate": {
    rate: num(0, true),
    timeUnit: optional(duration),
    duration,
    preAllocatedVUs: int(0),
    maxVUs: optional(int(0)),
  },
  "ramping-arrival-rate": {
    startRate: optional(num(0)),
    timeUnit: optional(duration),
    stages,
    profile,
    preAllocatedVUs: int(0),
    maxVUs: optional(int(0)),
  },
  "externally-controlled": { vus: optional(int(0)), maxVUs: optional(int(0)), duration },
};

const ALL_OPTIONS = new Set(Object.values(EXECUTOR_OPTIONS).flatMap((o) => Object.keys(o)));

const SCENARIOS = Object.fromEntries(
  EXECUTORS.map((name) => [
    name,
    strict({ executor: v.literal(name), ...common, ...EXECUTOR_OPTIONS[name] } as v.ObjectEntries, `scenario (${name})`, (key, known) =>
      ALL_OPTIONS.has(key)
        ? `"${key}" is not an option of executor ${name} (its options: ${Object.keys(EXECUTOR_OPTIONS[name]).join(", ")})`
        : `unknown key "${key}" in a scenario${didYouMean(key, known)}`,
    ),
  ]),
) as Record<string, Schema>;

/**
 * Every executor option, optional, with its type: with an unknown executor the other keys are
 * still checked (a misspelt key gets its "did you mean", `vus: ten` its type error), since the
 * user will have to fix them too once the executor is right.
 */
const ANY_EXECUTOR_OPTIONS: v.ObjectEntries = Object.fromEntries(
  Object.values(EXECUTOR_OPTIONS).flatMap((options) => Object.entries(options).map(([key, schema]) => [key, optional(schema as Schema)])),
);

/** With a bad or missing executor: report it, and still check the flow and the options. */
const unknownExecutor: Schema = v.pipe(
  strict({ executor: v.unknown(), ...common, ...ANY_EXECUTOR_OPTIONS } as v.ObjectEntries, "a scenario"),
  v.rawCheck(({ dataset, addIssue }) => {
    const value = dataset.value;
    if (!isRecord(value)) return;
    const executor = value.executor;
    const message =
      executor === undefined
        ? `executor is required: one of ${EXECUTORS.join(", ")}`
        : `unknown executor ${JSON.stringify(executor)}${typeof executor === "string" ? didYouMean(executor, EXECUTORS) : ""} (executors: ${EXECUTORS.join(", ")})`;
    addIssue({ message, path: [{ type: "object", origin: "value", input: value, key: "executor", value: executor }] });
  }),
) as Schema;

const notAMap = failWith((input) => `expected a scenario (a map with executor and flow), got ${JSON.stringify(input) ?? "nothing"}`);

export const scenario: Schema = v.lazy((input) => {
  if (!isRecord(input)) return notAMap;
  const executor = input.executor;
  return typeof executor === "string" && Object.hasOwn(SCENARIOS, executor) ? SCENARIOS[executor]! : unknownExecutor;
}) as Schema;

// For the JSON Schema export: a scenario is one of the executor-specific shapes.
SCHEMA_INFO.set(scenario, { kind: "dispatch", name: "scenario", options: () => Object.values(SCENARIOS) });
