// A plugin's definition (sdk.ts) checked and turned into the module set `mergeModules` takes:
// the same registries the built-ins fill (src/builtins.ts goes through here too). Pure.
import { PLUGIN_ERRORS } from "./failure.ts";
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
 * The module set of a checked definition, owned by `owner` in messages. `plugin_errors` joins
 * the metrics of every plugin (it counts the plugin's failed iterations, failure.ts); the
 * built-ins pass `countFailures: false`.
 */
export function pluginModules(definition: PluginDefinition, owner: string, countFailures = true): ModuleSet {
  const set: Record<string, unknown> = { owner };
  for (const key of REGISTRY_KEYS) if (definition[key] !== undefined) set[key] = definition[key];
  set.metrics = [...(definition.metrics ?? []), ...(countFailures ? [PLUGIN_ERRORS] : [])];
  return set as ModuleSet;
}
