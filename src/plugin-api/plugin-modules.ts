// A plugin's definition (sdk.ts) checked and turned into the module set `mergeModules` takes:
// the same registries the built-ins fill (src/builtins.ts goes through here too). Pure.
import { PLUGIN_ERRORS, PluginFailure } from "./failure.ts";
import type { TemplateFunction } from "../config/expression/functions.ts";
import type { ProtocolModule, StepKind } from "./types.ts";
import type { ModuleSet } from "./merge.ts";
import { PLUGIN_API_VERSION, SUPPORTED_API_VERSIONS, type PluginDefinition } from "./sdk.ts";

const REGISTRY_KEYS = ["protocols", "steps", "checks", "extractions", "outputs", "executors", "functions"] as const;
const KEYS = new Set<string>(["apiVersion", "name", "metrics", ...REGISTRY_KEYS]);
/** A plugin's name: it becomes a tag value and appears in messages. */
export const PLUGIN_NAME = /^[A-Za-z][\w-]{0,63}$/;

/** Why `value` is not a plugin definition this binary loads (each problem a sentence), or an empty list. */
export function definitionProblems(value: unknown): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [`its default export is ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}, not a plugin definition: write \`export default definePlugin({ apiVersion: ${PLUGIN_API_VERSION}, name: "...", ... })\``];
  }
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const version = record.apiVersion;
  if (version === undefined) problems.push(`it declares no apiVersion; this loadr supports apiVersion ${SUPPORTED_API_VERSIONS.join(", ")}`);
  else if (typeof version !== "number" || !SUPPORTED_API_VERSIONS.includes(version)) {
    problems.push(`it is written for apiVersion ${JSON.stringify(version)}, and this loadr supports apiVersion ${SUPPORTED_API_VERSIONS.join(", ")} (plugin API ${PLUGIN_API_VERSION})`);
  }
  if (typeof record.name !== "string" || !PLUGIN_NAME.test(record.name)) {
    problems.push(`its name ${JSON.stringify(record.name)} is not a plugin name (a letter, then letters, digits, _ or -; at most 64)`);
  }
  for (const key of Object.keys(record)) {
    if (!KEYS.has(key)) problems.push(`it has an unknown key "${key}" (a plugin may define ${[...KEYS].join(", ")})`);
  }
  for (const key of REGISTRY_KEYS) {
    const registry = record[key];
    if (registry !== undefined && (typeof registry !== "object" || registry === null || Array.isArray(registry))) {
      problems.push(`its "${key}" is not an object of entries by name`);
    }
  }
  if (record.metrics !== undefined && !Array.isArray(record.metrics)) problems.push(`its "metrics" is not a list of metric definitions`);
  return problems;
}

/**
 * The module set of a checked definition, owned by `owner` in messages. A plugin's (`contained`,
 * the default) has its steps (its protocols' too) and template functions wrapped so that what they
 * throw at run time is a PluginFailure naming the plugin (failure.ts): the iteration fails,
 * counted in `plugin_errors{plugin}`, and the warning names it; `plugin_errors` joins its metrics.
 * Its check and extraction kinds keep their identity (a step's schema names them by object,
 * config/schema/steps.ts): they run inside a step, whose wrapper catches what they throw when the
 * step is the plugin's. The built-ins pass `contained: false` and are taken as they are.
 */
export function pluginModules(definition: PluginDefinition, owner: string, contained = true): ModuleSet {
  const set: Record<string, unknown> = { owner };
  for (const key of REGISTRY_KEYS) if (definition[key] !== undefined) set[key] = definition[key];
  set.metrics = [...(definition.metrics ?? []), ...(contained ? [PLUGIN_ERRORS] : [])];
  if (contained) {
    const name = definition.name;
    if (definition.steps) set.steps = mapValues(definition.steps, (step) => containStep(name, step));
    if (definition.functions) set.functions = Object.assign(Object.create(null), mapValues(definition.functions, (fn) => containFunction(name, fn)));
    if (definition.protocols) set.protocols = mapValues(definition.protocols, (protocol) => containProtocol(name, protocol));
  }
  return set as ModuleSet;
}

function mapValues<T, U>(record: Readonly<Record<string, T>>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}

/** What a plugin threw, as a PluginFailure (kept as the cause); a PluginFailure or another plugin's passes through. */
function failure(plugin: string, error: unknown, offset = 0): PluginFailure {
  if (error instanceof PluginFailure) return error;
  const wrapped = new PluginFailure(plugin, (error as Error)?.message ?? String(error), offset);
  (wrapped as { cause?: unknown }).cause = error;
  return wrapped;
}

function containStep(plugin: string, step: StepKind<any>): StepKind<any> {
  return {
    ...step,
    schema: (sc) => step.schema(sc),
    normalize: (raw, path, nc) => step.normalize(raw, path, nc),
    compile(spec, loc, cc) {
      const compiled = step.compile(spec, loc, cc);
      const rethrow = (error: unknown) => {
        throw failure(plugin, error);
      };
      return {
        kind: compiled.kind,
        loc: compiled.loc,
        run(vu, signal) {
          try {
            const pending = compiled.run(vu, signal);
            return pending === undefined ? undefined : pending.then(undefined, rethrow);
          } catch (error) {
            return rethrow(error);
          }
        },
      };
    },
  };
}

function containFunction(plugin: string, fn: TemplateFunction): TemplateFunction {
  return {
    ...fn,
    call(args, at) {
      try {
        return fn.call(args, at);
      } catch (error) {
        throw failure(plugin, error, at);
      }
    },
  };
}

function containProtocol(plugin: string, protocol: ProtocolModule): ProtocolModule {
  return {
    ...protocol,
    steps: mapValues(protocol.steps, (step) => containStep(plugin, step)),
  };
}
