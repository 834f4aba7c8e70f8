// The validated, normalized test plan: what `loadPlan` produces from YAML and what the engine runs.
// Every duration is in milliseconds. Templates are compiled once here and rendered per use.
// A TestPlan holds functions (templates), so it never crosses a thread or process boundary:
// workers and agents receive the plan's source (`PlanSource`) and load it themselves.
import type { MetricDefinition } from "../metrics/types.ts";
import type { PlanOverrides } from "./overrides.ts";

export type Ms = number;

/** Where a plan element came from, for error messages: `file:line:col`. */
export interface SourceLoc {
  file: string;
  line: number;
  column: number;
}

/** The source of a plan: enough to load it again, identically, in a worker or on an agent. */
export interface PlanSource {
  /** YAML text. */
  text: string;
  /** Display name of the file (absolute path or a name), used in messages. */
  file: string;
  /** Directory that relative data-file paths resolve against. */
  baseDir: string;
  /** Environment for `${env.NAME}`; resolved at load time. */
  env: Record<string, string | undefined>;
  /** `loadr run`'s k6 flags, applied to the text's plan as it loads (config/overrides.ts). */
  overrides?: PlanOverrides;
  /** Cap on one data file read from disk (`--max-data-size`); config/plan-files.ts's default when absent. */
  maxDataBytes?: number;
}

/**
 * What a VU variable holds: extracted values are strings; `set:` also stores numbers and booleans
 * (docs/expressions.md "Types").
 */
export type VarValue = string | number | boolean;

/** What an expression evaluates to: a variable's value, or null (an unset variable, `null`). */
export type Value = VarValue | null;

/** What a template sees when rendered, per VU and iteration. */
export interface TemplateScope {
  /** The VU's variables; a null-prototype object (core/flow/flow-vu.ts), read by own properties only. */
  vars: Record<string, VarValue>;
  /** The current row of each data feed, by feed name then column. */
  data: Record<string, Record<string, string>>;
  vu: number;
  iteration: number;
  scenario: string;
  /** What the hooks module's `setup` returned (JSON), for `${setup.x}`; absent without one. */
  setup?: unknown;
  /** The VU's hooks, as a `js` check calls them (core/checks/js.ts); absent without `hooks:`. */
  script?: ScopeScript;
}

/** What a `js` check needs of the VU's hooks: the named export's verdict on a response. */
export interface ScopeScript {
  /** true for a pass; otherwise why it failed (a reason the hook returned, or its error). Never throws. */
  check(name: string, response: unknown): true | string;
}

/** A compiled `${...}` template. */
export interface Template {
  readonly source: string;
  /** True when the template has no runtime references (render ignores the scope). */
  readonly isStatic: boolean;
  render(scope: TemplateScope): string;
  /**
   * The template's typed value: for a template that is exactly one `${expression}`, what the
   * expression evaluates to (a number stays a number); otherwise what `render` returns.
   * Both may throw an evaluation error (division by zero, ...): the step running it then fails
   * with its location (core/flow/interpreter.ts `StepError`).
   */
  evaluate(scope: TemplateScope): Value;
}

/** A JSON value whose strings are templates. */
export type JsonTemplate = Template | number | boolean | null | JsonTemplate[] | { [key: string]: JsonTemplate };

/** A compiled condition for `if` and `loop.while`, e.g. `${vars.count < 5}` or `${vars.count} < 5`. */
export interface Condition {
  readonly source: string;
  evaluate(scope: TemplateScope): boolean;
}

export interface TestPlan {
  name: string;
  source: PlanSource;
  /** Already resolved (env-only); "" when not set. Relative request URLs are joined to it. */
  baseUrl: string;
  data: Record<string, DataFeed>;
  scenarios: ScenarioSpec[];
  thresholds: ThresholdSpec[];
  /** The trend figures the summary shows (k6's summaryTrendStats); absent: k6's default. */
  summaryTrendStats?: string[];
  cluster?: ClusterSpec;
  /** Data files the plan references, relative to `source.baseDir` (CSV, request bodies, ...). */
  files: string[];
  /**
   * Every metric the plan knows: the core metrics and those of every registered protocol (later
   * also hook- and plugin-declared ones). Thresholds are checked against it; workers build their
   * MetricStore from it.
   */
  metrics: readonly MetricDefinition[];
  /** The plan's `hooks:` module (config/normalize/hooks.ts); absent without one. */
  hooks?: HooksSpec;
}

/** `hooks:` normalized: the module, what it exports, its grants and time limits (docs/hooks.md). */
export interface HooksSpec {
  /** Path as written, relative to `source.baseDir`. */
  module: string;
  /** The module and every file it imports (relative), as plan-relative paths; all are in `TestPlan.files`. */
  files: string[];
  /** Its export names; empty when the loader was told not to read user code (a controller). */
  exports: string[];
  /** Extra globals granted (config/schema/hooks.ts HOOK_GRANTS). */
  allow: string[];
  /** Limit of every per-VU hook call (init, beforeIteration, afterIteration, `js` steps and checks). */
  timeoutMs: Ms;
  /** Limit of `setup`, `teardown` and the module's own top-level code. */
  setupTimeoutMs: Ms;
  loc: SourceLoc;
}

export const FEED_MODES = ["sequential", "random", "unique"] as const;
export type FeedMode = (typeof FEED_MODES)[number];

export interface DataFeed {
  name: string;
  /** Path as written in the plan, relative to `source.baseDir`. */
  path: string;
  mode: FeedMode;
  columns: readonly string[];
  /** The data rows, compact (config/csv.ts `CsvTable`); a record is built per read. */
  rows: FeedTable;
  loc: SourceLoc;
}

/** Read access to a feed's rows by index. */
export interface FeedTable {
  readonly length: number;
  /** Row `index` (0-based) as a frozen column → value record. */
  record(index: number): Readonly<Record<string, string>>;
}

export interface Stage {
  duration: Ms;
  target: number;
}

/**
 * A scenario's load model, normalized (k6 defaults applied, durations in ms). Each executor
 * declares its own config type extending this one, in its file (src/executors/*.ts).
 */
export interface ExecutorConfig {
  /** The executor's name, e.g. k6's; the key of its registry entry. */
  readonly type: string;
}

export interface ScenarioSpec {
  name: string;
  executor: ExecutorConfig;
  /**
   * When the executor stops starting iterations, ms after the scenario starts (its syntax's
   * `durationMs`, computed at normalize time); Infinity when only a stop ends it.
   */
  durationMs: Ms;
  /** The most VUs the whole scenario may use at once (its syntax's `maxVus`), for `vus_max`. */
  maxVus: number;
  startTime: Ms;
  gracefulStop: Ms;
  env: Record<string, string>;
  /** Extra tags added to every sample of this scenario: the plan's `tags:`, then the scenario's. */
  tags: Record<string, string>;
  flow: Step[];
  loc: SourceLoc;
}

/**
 * One step of a flow. `kind` is the key it was written with (a registered step kind, see
 * config/syntax.ts); `spec` is what that kind's normalizer made of it, whose type lives with the
 * kind (e.g. the HTTP request step's `RequestSpec`, beside that step).
 */
export interface Step {
  kind: string;
  loc: SourceLoc;
  spec: unknown;
  /**
   * The step's own `tags:` (a sibling of its kind's key, for the kinds whose schema allows it):
   * merged into the tags of every sample recorded by the step and the steps inside it.
   */
  tags?: Record<string, string>;
}

export interface TlsSpec {
  /** Skip certificate verification. */
  insecure: boolean;
  /** PEM text of extra CA certificates (already read from the file the plan names). */
  ca?: string;
  /** SNI / verification name; defaults to the URL's host. */
  serverName?: string;
}

/**
 * One check of a request-like step. `kind` is the key it was written with (a registered check
 * kind, see config/syntax.ts `CheckSyntax`); `spec` is what that kind's normalizer made of it,
 * whose type lives with the kind (e.g. core/checks/status.ts). `name` is the `check` metric tag.
 */
export interface CheckSpec {
  kind: string;
  name: string;
  loc: SourceLoc;
  spec: unknown;
}

/** One `extract:` entry: `variable` gets what the extraction kind `kind` finds; `spec` as for checks. */
export interface ExtractSpec {
  variable: string;
  kind: string;
  loc: SourceLoc;
  spec: unknown;
}

export interface ThresholdSpec {
  /** The key as written, e.g. `http_req_duration{scenario:burst}`. */
  key: string;
  metric: string;
  /** Tag filter of a sub-metric; empty for the whole metric. */
  filter: Record<string, string>;
  /** e.g. `p(95)<500`. */
  expression: string;
  abortOnFail: boolean;
  delayAbortEval: Ms;
  loc: SourceLoc;
}

export interface ClusterSpec {
  agents: number;
  wait: Ms;
  /** How long after the start barrier every assigned agent has to confirm its start. */
  startTimeout: Ms;
  selector: Record<string, string>;
  onAgentLoss: "continue" | "abort";
  /** Per-scenario label selectors: a scenario runs only on agents whose labels match. */
  scenarios: Record<string, Record<string, string>>;
}
