// `loadr run`'s k6 flags as a layer over the plan, as k6 layers its command line over a script's
// options: `--vus/--duration/--iterations/--stage` set the load model, `--scenario` picks the
// scenario it is for (and the only one that runs), `--tag` adds plan tags, `--summary-trend-stats`
// sets `summaryTrendStats`, `--no-thresholds` drops the thresholds. Applied to the parsed YAML
// before the shorthand and the schema (config/load.ts), so the result is checked exactly like a
// plan written by hand, and a problem with a value a flag set names the flag. The same transform
// written back into the YAML document is the plan text a controller receives (`planTextWithOverrides`).
//
// The load model, with the plan's as the layer below (k6's `Options.Apply`):
// - a plan without `scenarios:` (a top-level load model): any of the shortcut `models` on the
//   command line replaces all of the plan's; `--vus` replaces the plan's `vus`.
// - a plan with `scenarios:`: the flags replace the executor of one scenario (the only one, or
//   the one `--scenario` names; with several and no `--scenario`, an error naming them): its
//   executor options and startTime go, k6's scenario for the flags comes in, its flow, env, tags
//   and gracefulStop stay; the other scenarios (and their cluster selectors) are dropped. `--vus`
//   alone is an error there (k6 ignores it beside scenarios).
import { parseDocument, isMap, type Document } from "yaml";
import { IssueCollector, type Origin, type Path } from "./issues.ts";
import type { PlanSource } from "./plan.ts";
import type { PlanSyntax } from "./syntax.ts";
import { IMPLICIT_SCENARIO } from "./shorthand.ts";
import { didYouMean } from "./suggest.ts";
import { isRecord, rec } from "./normalize/context.ts";

/** What the flags set; JSON (it travels with the plan's source to worker threads). */
export interface PlanOverrides {
  /** k6's shortcut options by key (PlanSyntax.shortcuts), as the flags give them. */
  load?: Record<string, unknown>;
  scenario?: string;
  tags?: Record<string, string>;
  summaryTrendStats?: string[];
  noThresholds?: boolean;
  /** `--plugin FILE`s, relative to the plan's directory (or absolute), added after the plan's `plugins:`. */
  plugins?: string[];
}

/** The flag of `loadr run` that sets each override, for messages. */
const FLAGS: Readonly<Record<string, string>> = {
  vus: "--vus",
  duration: "--duration",
  iterations: "--iterations",
  stages: "--stage",
  scenario: "--scenario",
  tags: "--tag",
  summaryTrendStats: "--summary-trend-stats",
  plugins: "--plugin",
};

const flagOf = (key: string) => FLAGS[key] ?? `--${key}`;

interface Overridden {
  data: unknown;
  /** Paths of the returned data set by a flag (config/issues.ts `movedOrigins`). */
  origins: Array<readonly [Path, Origin]>;
}

/** The plan data with `overrides` applied; problems with the flags themselves go to `issues`. Pure apart from `issues`. */
export function applyOverrides(data: unknown, overrides: PlanOverrides | undefined, syntax: PlanSyntax, issues: IssueCollector): Overridden {
  if (!overrides || !isRecord(data)) return { data, origins: [] };
  const top: Record<string, unknown> = { ...data };
  const origins: Array<readonly [Path, Origin]> = [];
  if (isRecord(top.scenarios)) overrideScenarios(top, overrides, syntax, issues, origins);
  else overrideTopLevel(top, overrides, syntax, issues, origins);
  if (overrides.tags && Object.keys(overrides.tags).length > 0) {
    top.tags = { ...rec(top.tags), ...overrides.tags };
    for (const name of Object.keys(overrides.tags)) origins.push([["tags", name], { flag: flagOf("tags") }]);
  }
  if (overrides.plugins && overrides.plugins.length > 0) {
    const written = Array.isArray(top.plugins) ? top.plugins : [];
    top.plugins = [...written, ...overrides.plugins];
    overrides.plugins.forEach((_, i) => origins.push([["plugins", written.length + i], { flag: flagOf("plugins") }]));
  }
  if (overrides.summaryTrendStats) {
    top.summaryTrendStats = overrides.summaryTrendStats;
    origins.push([["summaryTrendStats"], { flag: flagOf("summaryTrendStats") }]);
  }
  return { data: top, origins };
}

function overrideTopLevel(top: Record<string, unknown>, overrides: PlanOverrides, syntax: PlanSyntax, issues: IssueCollector, origins: Array<readonly [Path, Origin]>): void {
  const load = overrides.load ?? {};
  if (overrides.scenario !== undefined && overrides.scenario !== IMPLICIT_SCENARIO) {
    issues.flagError(flagOf("scenario"), `no scenario "${overrides.scenario}": the plan's one scenario is "${IMPLICIT_SCENARIO}" (its top-level load model)`, `drop --scenario, or write --scenario ${IMPLICIT_SCENARIO}`);
  }
  if (Object.keys(load).some((key) => syntax.shortcuts.models.includes(key))) for (const key of syntax.shortcuts.models) delete top[key];
  for (const [key, value] of Object.entries(load)) {
    top[key] = value;
    origins.push([[key], { flag: flagOf(key) }]);
  }
}

function overrideScenarios(top: Record<string, unknown>, overrides: PlanOverrides, syntax: PlanSyntax, issues: IssueCollector, origins: Array<readonly [Path, Origin]>): void {
  const scenarios = top.scenarios as Record<string, unknown>;
  const names = Object.keys(scenarios);
  const load = overrides.load ?? {};
  const keys = Object.keys(load);
  let chosen = overrides.scenario;
  if (chosen !== undefined && !Object.hasOwn(scenarios, chosen)) {
    issues.flagError(flagOf("scenario"), `no scenario "${chosen}"${didYouMean(chosen, names)}`, `the plan's scenarios: ${names.join(", ")}`);
    return;
  }
  if (keys.length > 0) {
    const flags = keys.map(flagOf).join(", ");
    const first = flagOf(keys[0]!);
    if (chosen === undefined) {
      if (names.length !== 1) {
        issues.flagError(first, `${flags} set the load model of one scenario, and the plan has ${names.length}: ${names.join(", ")}`, "name the one to run with --scenario NAME");
        return;
      }
      chosen = names[0]!;
    }
    if (!keys.some((key) => syntax.shortcuts.models.includes(key))) {
      issues.flagError(first, `${flags} alone does not replace the load model of scenario ${chosen} (k6 ignores it beside scenarios too)`, `add ${syntax.shortcuts.models.map(flagOf).join(", ")}, or set it in the scenario`);
      return;
    }
    const derived = syntax.shortcuts.derive(load);
    if (!derived.ok) {
      issues.flagError(flagOf(derived.key), derived.message, derived.hint);
      return;
    }
    const replaced = new Set(["executor", "startTime", ...Object.values(syntax.executors).flatMap((e) => Object.keys(e.options))]);
    const scenario = Object.fromEntries(Object.entries(rec(scenarios[chosen])).filter(([key]) => !replaced.has(key)));
    for (const option of derived.options) {
      scenario[option.key] = option.from !== undefined ? load[option.from] : option.value;
      origins.push([["scenarios", chosen, option.key], { flag: flagOf(option.from ?? keys[0]!) }]);
    }
    top.scenarios = { [chosen]: scenario };
  } else if (chosen !== undefined) {
    top.scenarios = { [chosen]: scenarios[chosen] };
  }
  if (chosen !== undefined && isRecord(top.cluster) && isRecord(top.cluster.scenarios)) {
    const selectors = Object.fromEntries(Object.entries(top.cluster.scenarios).filter(([name]) => name === chosen));
    top.cluster = { ...top.cluster, scenarios: selectors };
  }
}

/**
 * The plan's YAML with `source.overrides` written into it (comments and untouched parts kept),
 * for a controller and its agents, which load plain plan text. The source was loaded (and its
 * problems reported) before; this only rewrites it.
 */
export function planTextWithOverrides(source: PlanSource, syntax: PlanSyntax): string {
  if (!source.overrides) return source.text;
  const doc = parseDocument(source.text, { uniqueKeys: false });
  const before: unknown = doc.toJS({ maxAliasCount: 1000 });
  const ignored = new IssueCollector(() => ({ file: source.file, line: 1, column: 1 }));
  let after = applyOverrides(before, source.overrides, syntax, ignored).data;
  if (source.overrides.noThresholds && isRecord(after)) {
    after = { ...after };
    delete (after as Record<string, unknown>).thresholds;
  }
  if (!syncNode(doc, doc.contents, before, after)) doc.contents = doc.createNode(after) as typeof doc.contents;
  return doc.toString();
}

/** Writes the differences between `before` and `after` into `node`; false when it must be replaced whole. */
function syncNode(doc: Document, node: unknown, before: unknown, after: unknown): boolean {
  if (before === after) return true;
  if (!isMap(node) || !isRecord(before) || !isRecord(after)) return false;
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) node.delete(key);
  for (const [key, value] of Object.entries(after)) {
    if (Object.hasOwn(before, key) && syncNode(doc, node.get(key, true), before[key], value)) continue;
    node.set(key, doc.createNode(value));
  }
  return true;
}
