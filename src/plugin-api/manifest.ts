// What a plugin registers, by name only: the submitter (which loaded the plugin) sends one per
// plugin with a distributed run, and a controller, which never imports plugin code, validates the
// plan with `forwardedModules`: stand-ins that accept the plugin's step, check and extraction
// keys, template functions and metrics without looking inside (the agents load the real plugin
// and check everything again before the run starts). `readManifests` checks a submission's list
// (size-limited, every name a plain identifier).
import * as v from "valibot";
import type { TemplateFunction } from "../config/expression/functions.ts";
import type { MetricDefinition } from "../metrics/types.ts";
import type { ModuleSet } from "./merge.ts";
import { PLUGIN_NAME } from "./plugin-modules.ts";
import type { CheckKind, ExtractKind, Modules, StepKind } from "./types.ts";

export interface PluginManifest {
  /** The plugin's path as the plan lists it (plan-relative). */
  path: string;
  name: string;
  steps: string[];
  checks: string[];
  extractions: string[];
  functions: Array<{ name: string; minArgs: number; maxArgs: number }>;
  metrics: MetricDefinition[];
}

const MAX_MANIFESTS = 32;
const MAX_NAMES = 256;
const NAME = /^[A-Za-z_][\w-]{0,63}$/;

/** Everything `added` registers beyond `base` (a plugin's module set merged over the built-ins). */
export function manifestOf(path: string, name: string, set: Partial<Modules>): PluginManifest {
  const steps = Object.keys(set.steps ?? {});
  const checks = Object.keys(set.checks ?? {});
  const extractions = Object.keys(set.extractions ?? {});
  const metrics = [...(set.metrics ?? [])];
  for (const protocol of Object.values(set.protocols ?? {})) {
    steps.push(...Object.keys(protocol.steps));
    checks.push(...Object.keys(protocol.checks ?? {}));
    extractions.push(...Object.keys(protocol.extractions ?? {}));
    metrics.push(...protocol.metrics);
  }
  const functions = Object.entries(set.functions ?? {}).map(([fn, spec]) => ({ name: fn, minArgs: spec.minArgs, maxArgs: spec.maxArgs }));
  return { path, name, steps, checks, extractions, functions, metrics: metrics.map((m) => ({ name: m.name, type: m.type, contains: m.contains })) };
}

const anyMap = v.record(v.string(), v.unknown()) as v.GenericSchema;

/**
 * Stand-ins for the manifests' registrations (keys several plugins share, like the `wasm` step of
 * every WebAssembly plugin, once): accepted as written, never run (a controller runs no step).
 */
export function forwardedModules(manifests: readonly PluginManifest[]): ModuleSet {
  const notHere = () => {
    throw new Error("a plugin's step is forwarded by the controller and runs only on agents");
  };
  const steps: Record<string, StepKind> = {};
  const checks: Record<string, CheckKind> = {};
  const extractions: Record<string, ExtractKind> = {};
  const functions: Record<string, TemplateFunction> = Object.create(null);
  const metrics: MetricDefinition[] = [];
  for (const manifest of manifests) {
    for (const key of manifest.steps) steps[key] = { key, schema: () => anyMap, normalize: () => ({}), compile: notHere };
    for (const key of manifest.checks) checks[key] = { key, schema: anyMap, normalize: (raw) => ({ spec: {}, name: typeof raw.name === "string" ? raw.name : key }), evaluate: () => false };
    for (const key of manifest.extractions) extractions[key] = { key, schema: anyMap, normalize: () => ({}), extract: () => undefined, describe: () => key };
    for (const fn of manifest.functions) functions[fn.name] = { params: "...", minArgs: fn.minArgs, maxArgs: fn.maxArgs, pure: false, call: () => null };
    metrics.push(...manifest.metrics);
  }
  return { owner: `the plugins ${manifests.map((m) => `"${m.name}" (${m.path})`).join(", ")}, as forwarded`, steps, checks, extractions, functions, metrics };
}

const name = v.pipe(v.string(), v.regex(NAME));
const names = v.pipe(v.array(name), v.maxLength(MAX_NAMES));
const manifestSchema = v.strictObject({
  path: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
  name: v.pipe(v.string(), v.regex(PLUGIN_NAME)),
  steps: names,
  checks: names,
  extractions: names,
  functions: v.pipe(v.array(v.strictObject({ name, minArgs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(64)), maxArgs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(64)) })), v.maxLength(MAX_NAMES)),
  metrics: v.pipe(
    v.array(v.strictObject({ name, type: v.picklist(["counter", "rate", "gauge", "trend"]), contains: v.picklist(["default", "time", "data"]) })),
    v.maxLength(MAX_NAMES),
  ),
});

/** A submission's `plugins` checked; throws an Error saying what is wrong. */
export function readManifests(value: unknown): PluginManifest[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_MANIFESTS) throw new Error(`"plugins" must be a list of at most ${MAX_MANIFESTS} plugin manifests`);
  return value.map((item, i) => {
    const parsed = v.safeParse(manifestSchema, item);
    if (!parsed.success) throw new Error(`"plugins[${i}]" is not a plugin manifest: ${parsed.issues[0]?.message ?? "wrong shape"} at ${v.getDotPath(parsed.issues[0]!) ?? "the top"}`);
    return parsed.output as PluginManifest;
  });
}
