// What the plan loader needs to know of the modules a plan may use: the syntax half of each
// registry entry (schema, normalizer, declared metrics). `config/` never names a concrete step,
// check, extraction, protocol or executor; it reads them from the `PlanSyntax` the caller passes to `loadPlan`
// (the built-ins are gathered in src/builtins.ts). The runtime half of each entry (compile, run,
// open a session) is in core/modules.ts; src/plugin-api/types.ts joins the two.
import type { Path } from "./issues.ts";
import type { CheckSpec, ExecutorConfig, ExtractSpec, Step } from "./plan.ts";
import type { Schema } from "./schema/helpers.ts";
import type { Env, NormalizeContext } from "./normalize/context.ts";
import type { RequestDefaults } from "./normalize/request-defaults.ts";
import type { MetricDefinition } from "../metrics/types.ts";
import type * as v from "valibot";

/** Check kinds by key (`PlanSyntax.checks`, `ProtocolSyntax.checks`). */
export type CheckSyntaxes = Readonly<Record<string, CheckSyntax<any>>>;

/** Extraction kinds by key (`PlanSyntax.extractions`, `ProtocolSyntax.extractions`). */
export type ExtractSyntaxes = Readonly<Record<string, ExtractSyntax<any>>>;

/** Given to a step's schema builder: nested step lists refer back to the whole step schema. */
export interface StepSchemaContext {
  /** A list of steps (any registered kind), for `steps:`, `then:`, `else:` and the like. */
  steps(): Schema;
  /**
   * The schema of a `checks:` list: the shared kinds plus `own` (the step's protocol's own kinds,
   * the same map as its `ProtocolSyntax.checks`). An unknown kind is reported with "did you mean"
   * over exactly these kinds. Throws when an `own` kind is not registered (a wiring bug).
   */
  checks(own?: CheckSyntaxes): Schema;
  /** The schema of an `extract:` map (variable → extraction), like `checks` for extractions. */
  extractions(own?: ExtractSyntaxes): Schema;
}

/** Given to a step's normalizer. */
export interface StepNormalizeContext {
  readonly ctx: NormalizeContext;
  /** The scenario's environment for `${env.*}`. */
  readonly env: Env;
  /** The plan's `defaults:` (headers, timeouts, TLS), already compiled. */
  readonly defaults: RequestDefaults;
  /** Normalizes a nested list of steps found at `path` (any registered kind). */
  normalizeFlow(raw: unknown, path: Path): Step[];
  /** Normalizes the `checks:` list at `path`; pass the same `own` as to `StepSchemaContext.checks`. */
  normalizeChecks(raw: unknown, path: Path, own?: CheckSyntaxes): CheckSpec[];
  /** Normalizes the `extract:` map at `path`; pass the same `own` as to `StepSchemaContext.extractions`. */
  normalizeExtractions(raw: unknown, path: Path, own?: ExtractSyntaxes): ExtractSpec[];
}

/**
 * The syntax of one step kind: a step is a map whose kind is its first registered key
 * (`request:`, `sleep:`, `group:` …). `S` is the normalized spec stored in `Step.spec`.
 */
export interface StepSyntax<S = unknown> {
  /** The step's key in YAML. */
  readonly key: string;
  /** The strict schema of the whole step map (its key and any sibling keys such as `steps`). */
  schema(sc: StepSchemaContext): Schema;
  /**
   * The normalized spec, or undefined when the raw value is malformed (the schema reported it).
   * Reports value-level problems (templates, files, cross-field rules) through `nc.ctx.issues`.
   */
  normalize(raw: Record<string, unknown>, path: Path, nc: StepNormalizeContext): S | undefined;
}

/**
 * The syntax of one check kind: a check is a map whose kind is its first registered key
 * (`status: 200`, `json: $.id` …). `S` is the normalized spec stored in `CheckSpec.spec`; the
 * runtime half (core/modules.ts `CheckRuntime`) evaluates it.
 */
export interface CheckSyntax<S = unknown> {
  /** The check's key in YAML. */
  readonly key: string;
  /** The strict schema of the whole check map: its key, its options and `name` (config/schema/checks.ts `checkMap`). */
  readonly schema: Schema;
  /**
   * The spec and its default name, readable like k6's (`status is 200`); an explicit `name:`
   * replaces that name (the caller applies it). Undefined when the raw value is malformed (the
   * schema reported it). Reports value-level problems through `ctx.issues` at `path` (the check's).
   */
  normalize(raw: Record<string, unknown>, path: Path, ctx: NormalizeContext, env: Env): { spec: S; name: string } | undefined;
}

/**
 * The syntax of one extraction kind: `extract: { variable: { json: $.id } }` — the map's first
 * registered key is its kind. `S` is stored in `ExtractSpec.spec`; the runtime half is core/modules.ts
 * `ExtractRuntime`.
 */
export interface ExtractSyntax<S = unknown> {
  readonly key: string;
  /** The strict schema of the whole extraction map (its key and options). */
  readonly schema: Schema;
  /** The spec, or undefined when malformed; value-level problems through `ctx.issues` at `path`. */
  normalize(raw: Record<string, unknown>, path: Path, ctx: NormalizeContext): S | undefined;
}

/** The syntax of one executor (k6 load model): its own options beside the common scenario keys. */
export interface ExecutorSyntax<C extends ExecutorConfig = ExecutorConfig> {
  /** The executor's name in YAML (k6's names for the built-ins); its registry key. */
  readonly type: C["type"];
  /** valibot entries of its own options (k6 names); common keys (startTime, flow …) are added by config. */
  readonly options: v.ObjectEntries;
  /** The config with k6's defaults and cross-field rules (problems reported through `ctx.issues`). */
  normalize(raw: Record<string, unknown>, path: Path, ctx: NormalizeContext): C;
  /** When it stops starting iterations, ms after its start; Infinity when only a stop ends it. PURE. */
  durationMs(config: C): number;
  /** The most VUs the whole scenario may use at once (every segment's plan shares this maximum). PURE. */
  maxVus(config: C): number;
}

/** The syntax half of a protocol module: the steps, checks and extractions it adds and the metrics it records. */
export interface ProtocolSyntax {
  readonly name: string;
  readonly steps: Readonly<Record<string, StepSyntax<any>>>;
  /** Check kinds of its own (e.g. on a status only it has), accepted by its steps beside the shared ones. */
  readonly checks?: CheckSyntaxes;
  /** Extraction kinds of its own, accepted by its steps beside the shared ones. */
  readonly extractions?: ExtractSyntaxes;
  readonly metrics: readonly MetricDefinition[];
}

/**
 * k6's execution shortcuts: keys at the top of a plan (k6's `vus`, `duration`, `iterations`,
 * `stages`) that describe one implicit scenario's load model, which `loadr run --vus …` also
 * sets (config/shorthand.ts, config/overrides.ts apply them; src/executors/shortcuts.ts is k6's).
 */
export interface ShortcutSyntax {
  /** valibot entries of the keys, for the plan schema (their values are checked as the options they become). */
  readonly options: v.ObjectEntries;
  /**
   * The keys that set a load model on their own. A layer (the command line over the plan) that
   * has any of them replaces all of them in the layer below; the others (k6's `vus`) only adjust.
   */
  readonly models: readonly string[];
  /** The scenario these shortcut values (raw, as written) describe, or why they conflict. PURE. */
  derive(values: Readonly<Record<string, unknown>>): ShortcutScenario;
}

/**
 * A derived scenario: its executor options, each a fixed `value` or the value of the shortcut key
 * `from` (so problems with it are reported where that key is written); or a conflict at `key`.
 */
export type ShortcutScenario =
  | { ok: true; options: ReadonlyArray<{ key: string; value?: unknown; from?: string }> }
  | { ok: false; key: string; message: string; hint: string };

/**
 * The syntax half of an output (src/outputs/types.ts `OutputModule` extends it): the key of its
 * entry in a plan's `outputs:` list (`- influxdb: http://127.0.0.1:8086/write?db=k6`) and the
 * options it takes beside the common ones (config/schema/outputs.ts: flushInterval, tags, and
 * headers for an output that speaks HTTP).
 */
export interface OutputSyntax {
  /** Its name in `--out NAME=ARGUMENT` and its key in `outputs:`. */
  readonly name: string;
  /** One line for `--help` and error messages, e.g. "jsonl=FILE  one JSON line per series per second". */
  readonly usage: string;
  /** Sends over HTTP: the common `headers` option applies. */
  readonly http?: boolean;
  /** valibot entries of its own options (camelCase keys); each value is validated as written. */
  readonly options: v.ObjectEntries;
}

/** Everything `loadPlan` needs; `Modules` (src/plugin-api/types.ts) satisfies it. */
export interface PlanSyntax {
  /** Protocol-independent steps (sleep, group, loop, if, set, …), by key. */
  readonly steps: Readonly<Record<string, StepSyntax<any>>>;
  readonly protocols: Readonly<Record<string, ProtocolSyntax>>;
  readonly executors: Readonly<Record<string, ExecutorSyntax<any>>>;
  /** Check kinds any request-like step accepts, whatever its protocol (status, json, …). */
  readonly checks: CheckSyntaxes;
  /** Extraction kinds any request-like step accepts (json, regex, …). */
  readonly extractions: ExtractSyntaxes;
  /** Metrics every run has whatever its protocols (iterations, checks, vus …). */
  readonly metrics: readonly MetricDefinition[];
  /** The top-level load-model shortcuts and how they map to a scenario. */
  readonly shortcuts: ShortcutSyntax;
  /** Outputs a plan's `outputs:` list may name, by name. */
  readonly outputs: Readonly<Record<string, OutputSyntax>>;
}
