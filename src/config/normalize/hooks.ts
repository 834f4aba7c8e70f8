// `hooks:` → HooksSpec and `metrics:` → the declared MetricDefinitions (docs/hooks.md). The module
// is scanned (config/hooks-module.ts) unless the loader was told not to read user code (a
// controller: it checks only that the module was shipped, and never reads or runs it); its files
// join the plan's data files so they travel to agents.
import type { HooksSpec } from "../plan.ts";
import type { MetricDefinition } from "../../metrics/types.ts";
import { isMetricName } from "../../metrics/registry.ts";
import { scanHooksModule } from "../hooks-module.ts";
import { HOOK_GRANTS, METRIC_CONTAINS, METRIC_TYPES } from "../schema/hooks.ts";
import { addFile, arr, isRecord, ms, rec, str, type NormalizeContext } from "./context.ts";

export const DEFAULT_HOOK_TIMEOUT_MS = 1_000;
export const DEFAULT_SETUP_TIMEOUT_MS = 60_000;
/** The counter of failed hook calls (tag `hook`), known to every plan with `hooks:`. */
export const HOOK_ERRORS_METRIC: MetricDefinition = Object.freeze({ name: "hook_errors", type: "counter", contains: "default" });

/** What normalizing the steps and checks needs to know of the module. */
export interface HooksInfo {
  module: string;
  /** undefined: not read (a controller), so export names are not checked. */
  exports?: readonly string[];
  /** Where the module's file is, for messages. */
  where: string;
}

export function normalizeHooks(raw: unknown, ctx: NormalizeContext): HooksSpec | undefined {
  if (raw === undefined) return undefined;
  const long = isRecord(raw) ? raw : undefined;
  const module = str(long ? long.module : raw);
  if (module === undefined || module === "") return undefined;
  const path = long ? ["hooks", "module"] : ["hooks"];
  const loc = ctx.issues.locate(path);
  const spec: HooksSpec = {
    module,
    files: [module],
    exports: [],
    allow: arr(long?.allow).filter((g): g is string => typeof g === "string" && (HOOK_GRANTS as readonly string[]).includes(g)),
    timeoutMs: ms(long?.timeout, DEFAULT_HOOK_TIMEOUT_MS),
    setupTimeoutMs: ms(long?.setupTimeout, DEFAULT_SETUP_TIMEOUT_MS),
    loc,
  };
  for (const key of ["timeout", "setupTimeout"] as const) {
    if (long && long[key] !== undefined && ms(long[key], 1) <= 0) ctx.issues.error(["hooks", key], `hooks ${key} must be more than 0`);
  }
  if (ctx.readUserCode === false) {
    const problem = ctx.planFiles.check(module, "hooks module");
    if (problem) ctx.issues.error(path, problem.message, { hint: problem.hint });
    addFile(ctx, module);
    return spec;
  }
  const scanned = scanHooksModule(ctx.planFiles, module);
  if (!scanned.ok) {
    for (const problem of scanned.problems) {
      const where = problem.at ? ` (${problem.at.file}:${problem.at.line}:${problem.at.column})` : "";
      ctx.issues.error(path, `${problem.message}${where}`, { hint: problem.hint });
    }
    addFile(ctx, module);
    return undefined;
  }
  spec.files = scanned.module.files;
  spec.exports = scanned.module.exports;
  for (const file of spec.files) addFile(ctx, file);
  return spec;
}

export function hooksInfo(spec: HooksSpec, ctx: NormalizeContext): HooksInfo {
  const info: HooksInfo = { module: spec.module, where: ctx.planFiles.describe(spec.module) };
  if (ctx.readUserCode !== false) info.exports = spec.exports;
  return info;
}

/** `metrics: { name: { type, contains } }`: each a definition; a clash with a known metric is an error. */
export function normalizeMetrics(raw: unknown, ctx: NormalizeContext, known: readonly MetricDefinition[]): MetricDefinition[] {
  const out: MetricDefinition[] = [];
  for (const [name, value] of Object.entries(rec(raw))) {
    const at = ["metrics", name];
    const decl = rec(value);
    const type = METRIC_TYPES.find((t) => t === decl.type);
    const contains = METRIC_CONTAINS.find((c) => c === (decl.contains ?? "default"));
    if (!isMetricName(name)) {
      ctx.issues.error(at, `"${name}" is not a metric name: use letters, digits and _ (at most 128), not starting with a digit`, { at: "key" });
      continue;
    }
    if (!type || !contains) continue; // the schema reported it
    const builtIn = known.find((m) => m.name === name);
    if (builtIn) {
      ctx.issues.error(at, `"${name}" is a built-in ${builtIn.type} metric; a custom metric needs a name of its own`, { at: "key" });
      continue;
    }
    out.push({ name, type, contains });
  }
  return out;
}
