// The validated, normalized test plan: what `loadPlan` produces from YAML and what the engine runs.
// Every duration is in milliseconds. Templates are compiled once here and rendered per use.
// A TestPlan holds functions (templates), so it never crosses a thread or process boundary:
// workers and agents receive the plan's source (`PlanSource`) and load it themselves.
import type { MetricDefinition } from "../metrics/types.ts";

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
}

/** What a template sees when rendered, per VU and iteration. */
export interface TemplateScope {
  vars: Record<string, string>;
  /** The current row of each data feed, by feed name then column. */
  data: Record<string, Record<string, string>>;
  vu: number;
  iteration: number;
  scenario: string;
}

/** A compiled `${...}` template. */
export interface Template {
  readonly source: string;
  /** True when the template has no runtime references (render ignores the scope). */
  readonly isStatic: boolean;
  render(scope: TemplateScope): string;
}

/** A JSON value whose strings are templates. */
export type JsonTemplate = Template | number | boolean | null | JsonTemplate[] | { [key: string]: JsonTemplate };

/** A compiled condition for `if` and `loop.while`, e.g. `${vars.count} < 5`. */
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
  cluster?: ClusterSpec;
  /** Data files the plan references, relative to `source.baseDir` (CSV, request bodies, ...). */
  files: string[];
  /**
   * Every metric the plan knows: the core metrics and those of every registered protocol (later
   * also hook- and plugin-declared ones). Thresholds are checked against it; workers build their
   * MetricStore from it.
   */
  metrics: readonly MetricDefinition[];
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
  /** Extra tags added to every sample of this scenario. */
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
}

export interface TlsSpec {
  /** Skip certificate verification. */
  insecure: boolean;
  /** PEM text of extra CA certificates (already read from the file the plan names). */
  ca?: string;
  /** SNI / verification name; defaults to the URL's host. */
  serverName?: string;
}

export type CheckSpec = { name: string; loc: SourceLoc } & (
  | { kind: "status"; oneOf: number[] }
  | { kind: "header"; header: string; equals?: Template; contains?: Template; matches?: RegExp; exists?: boolean }
  | { kind: "body"; contains?: Template; matches?: RegExp }
  | { kind: "json"; path: string; equals?: Template; exists?: boolean }
  | { kind: "duration"; below: Ms }
);

export type ExtractSpec = { variable: string; loc: SourceLoc } & (
  | { kind: "json"; path: string }
  | { kind: "regex"; pattern: RegExp; group: number }
  | { kind: "header"; header: string }
  | { kind: "cookie"; cookie: string }
);

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
