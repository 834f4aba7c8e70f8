// The plugin SDK: what a plugin file imports as `loadr:sdk` (docs/plugins.md). A plugin is an ES
// module whose default export is `definePlugin({...})`: a versioned record of the registry
// entries it adds, of exactly the types the built-ins use (types.ts). The loader
// (load-plugins.ts) turns it into a module set (`pluginModules`) and merges it over the built-ins
// with `mergeModules` (merge.ts) — the one path src/builtins.ts takes too.
//
// At run time `loadr:sdk` is this module's namespace, registered as a virtual module in every
// thread that loads plugins (sdk-module.ts), so a plugin file needs nothing but the loadr binary;
// for completion, the types-only package in sdk/ re-exports these types.
//
// Versioning: `apiVersion` is the contract of this file. A change that would break a plugin
// written for version N bumps PLUGIN_API_VERSION; the loader refuses a plugin whose apiVersion
// it does not support, naming both versions.
import type { TemplateFunction } from "../config/expression/functions.ts";
import type { MetricDefinition } from "../metrics/types.ts";
import type { OutputModule } from "../outputs/types.ts";
import type { CheckKind, ExecutorModule, ExtractKind, ProtocolModule, StepKind } from "./types.ts";

/** The plugin API version this binary implements. */
export const PLUGIN_API_VERSION = 1;
/** Every apiVersion this binary loads. */
export const SUPPORTED_API_VERSIONS: readonly number[] = [1];

/** What a plugin provides; every registry is optional, each entry is keyed by its YAML key or name. */
export interface PluginDefinition {
  /** The SDK version the plugin was written for (PLUGIN_API_VERSION). */
  readonly apiVersion: number;
  /** The plugin's name: in messages, in the `plugin` tag of `plugin_errors`. Letters, digits, `_`, `-`. */
  readonly name: string;
  /** Protocols: steps with their schema and handler, own checks and extractions, metrics (the ProtocolModule contract). */
  readonly protocols?: Readonly<Record<string, ProtocolModule>>;
  /** Protocol-independent step kinds (like `sleep`, `group`). */
  readonly steps?: Readonly<Record<string, StepKind<any>>>;
  /** Check kinds every request-like step accepts. */
  readonly checks?: Readonly<Record<string, CheckKind<any>>>;
  /** Extraction kinds every request-like step accepts. */
  readonly extractions?: Readonly<Record<string, ExtractKind<any>>>;
  /** Outputs (`--out NAME=ARGUMENT`); created on the main thread only. */
  readonly outputs?: Readonly<Record<string, OutputModule>>;
  /** Executors (load models). */
  readonly executors?: Readonly<Record<string, ExecutorModule<any, any>>>;
  /** Template functions, `${name(args)}`. */
  readonly functions?: Readonly<Record<string, TemplateFunction>>;
  /** Metrics the plugin records outside a protocol. */
  readonly metrics?: readonly MetricDefinition[];
}

/** Returns `definition` unchanged: it exists for type checking and completion. */
export function definePlugin<const T extends PluginDefinition>(definition: T): T {
  return definition;
}

// What plugins build their entries with: the same helpers the built-ins use.
export { defineMetric } from "../metrics/builtin.ts";
export { strict, optional, str as stringSchema, scalar, bool as booleanSchema, int, list, map, duration as durationSchema, picklist, byType } from "../config/schema/helpers.ts";
export { checkMap } from "../config/schema/checks.ts";
export { template, rec, arr, str, num, ms } from "../config/normalize/context.ts";
export { literalTemplate } from "../config/templates.ts";
export { render, ExpressionError } from "../config/expression/values.ts";
export { runChecks } from "../core/checks/run.ts";
export { runExtractors, missMessage } from "../core/extract/extractors.ts";
export { PluginFailure } from "./failure.ts";

export type { TemplateFunction } from "../config/expression/functions.ts";
export type { CheckKind, ExecutorModule, ExtractKind, ProtocolModule, StepKind } from "./types.ts";
export type { OutputModule, Output, OutputContext } from "../outputs/types.ts";
export type { RunSnapshot } from "../core/run/run-loop.ts";
export type { MetricDefinition, MetricSink, Tags } from "../metrics/types.ts";
export type { CheckSpec, ExtractSpec, Ms, SourceLoc, Template, TemplateScope, Value, VarValue } from "../config/plan.ts";
export type { Schema } from "../config/schema/helpers.ts";
export type { CompiledStep, StepCompileContext } from "../core/modules.ts";
export type { StepNormalizeContext, StepSchemaContext } from "../config/syntax.ts";
export type { ProtocolHandler, ResponseView, RequestTimings, Session, SessionContext } from "../protocols/types.ts";
export type { VuRuntime } from "../core/flow/interpreter.ts";
