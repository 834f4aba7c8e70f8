// `export const options = {…}` → the plan's load model and settings: `vus`/`duration`/
// `iterations`/`stages` (the top-level shortcuts, as k6 reads them), `scenarios` (every k6
// executor; `exec` names the function whose flow the scenario runs), `thresholds` (strings and
// `{ threshold, abortOnFail, delayAbortEval }`), `tags`, `insecureSkipTLSVerify` → defaults.insecure,
// `userAgent` → a default User-Agent header, `maxRedirects`, `summaryTrendStats`. Other options
// are reported as dropped, each at its key.
import type { Node } from "acorn";
import type { K6Context, Scope } from "./context.ts";
import { valueOf } from "./expressions.ts";
import { jsonOf } from "./values.ts";

type AnyNode = Node & Record<string, any>;

export interface ScenarioOptions {
  readonly name: string;
  /** The options in plan order, without `exec`. */
  readonly options: Record<string, unknown>;
  /** The exported function it runs (`exec`, default: the default function). */
  readonly exec: string;
  readonly at: Node;
}

export interface ConvertedOptions {
  /** Top-level shortcut keys (vus, duration, iterations, stages), when there are no scenarios. */
  readonly shortcuts: Record<string, unknown>;
  readonly scenarios: ScenarioOptions[];
  readonly thresholds?: Record<string, unknown>;
  readonly tags?: Record<string, unknown>;
  readonly defaults: Record<string, unknown>;
  readonly summaryTrendStats?: unknown;
}

const SHORTCUTS = new Set(["vus", "duration", "iterations", "stages"]);
const COMMON = ["startTime", "gracefulStop", "env", "tags"];

/** Each executor's options as loadr names them (src/executors/*.ts), in the order they are written. */
const EXECUTOR_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  "shared-iterations": ["vus", "iterations", "maxDuration"],
  "per-vu-iterations": ["vus", "iterations", "maxDuration"],
  "constant-vus": ["vus", "duration"],
  "ramping-vus": ["startVUs", "stages", "gracefulRampDown"],
  "constant-arrival-rate": ["rate", "timeUnit", "duration", "preAllocatedVUs", "maxVUs"],
  "ramping-arrival-rate": ["startRate", "timeUnit", "stages", "preAllocatedVUs", "maxVUs"],
  "externally-controlled": ["vus", "maxVUs", "duration"],
};

function keyOf(prop: AnyNode): string | undefined {
  if (prop.type !== "Property" || prop.computed) return undefined;
  return prop.key.type === "Identifier" ? prop.key.name : prop.key.type === "Literal" ? String(prop.key.value) : undefined;
}

function jsonValue(node: AnyNode, scope: Scope, cx: K6Context): unknown {
  const value = jsonOf(valueOf(node, scope, cx));
  return value.ok ? value.value : undefined;
}

export function convertOptions(node: AnyNode, scope: Scope, cx: K6Context): ConvertedOptions {
  const out: { shortcuts: Record<string, unknown>; scenarios: ScenarioOptions[]; defaults: Record<string, unknown>; thresholds?: Record<string, unknown>; tags?: Record<string, unknown>; summaryTrendStats?: unknown } = {
    shortcuts: {},
    scenarios: [],
    defaults: {},
  };
  if (node.type !== "ObjectExpression") {
    cx.note("dropped", "options", node, "options must be an object literal for the converter to read it");
    return out;
  }
  for (const prop of node.properties as AnyNode[]) {
    const key = keyOf(prop);
    if (key === undefined) {
      cx.note("dropped", `options ${cx.snippet(prop, 40)}`, prop, "a computed or spread option");
      continue;
    }
    const value = jsonValue(prop.value, scope, cx);
    if (key === "scenarios") {
      scenarios(prop.value, scope, cx, out.scenarios);
      continue;
    }
    if (value === undefined || holdsTemplate(value)) {
      cx.note("dropped", `options.${key}`, prop, value === undefined ? "its value is computed in code" : "its value depends on the environment; loadr's options are literal (use loadr run's --vus/--duration/--env)");
      continue;
    }
    if (SHORTCUTS.has(key)) {
      out.shortcuts[key] = value; // k6 durations ("1m30s", numbers in ms) read the same in loadr
      cx.note("mapped", `options.${key}`, prop);
    } else if (key === "thresholds") {
      out.thresholds = value as Record<string, unknown>;
      cx.note("mapped", "options.thresholds", prop);
    } else if (key === "tags") {
      out.tags = value as Record<string, unknown>;
      cx.note("mapped", "options.tags", prop);
    } else if (key === "insecureSkipTLSVerify") {
      if (value === true) out.defaults.insecure = true;
      cx.note("mapped", "options.insecureSkipTLSVerify", prop, "defaults.insecure");
    } else if (key === "userAgent") {
      out.defaults.headers = { ...((out.defaults.headers as object | undefined) ?? {}), "user-agent": value };
      cx.note("mapped", "options.userAgent", prop, "a default User-Agent header");
    } else if (key === "maxRedirects") {
      out.defaults.maxRedirects = value;
      cx.note("mapped", "options.maxRedirects", prop, "defaults.maxRedirects");
    } else if (key === "summaryTrendStats") {
      out.summaryTrendStats = value;
      cx.note("mapped", "options.summaryTrendStats", prop);
    } else {
      cx.note("dropped", `options.${key}`, prop, "loadr has no such option");
    }
  }
  if (out.scenarios.length > 0) {
    for (const key of Object.keys(out.shortcuts)) {
      cx.note("dropped", `options.${key}`, node, "beside scenarios (k6 ignores it there too)");
    }
    out.shortcuts = {};
  }
  return out;
}

function scenarios(node: AnyNode, scope: Scope, cx: K6Context, into: ScenarioOptions[]): void {
  if (node.type !== "ObjectExpression") {
    cx.note("dropped", "options.scenarios", node, "scenarios must be an object literal for the converter to read it");
    return;
  }
  for (const prop of node.properties as AnyNode[]) {
    const name = keyOf(prop);
    const value = jsonValue(prop.value, scope, cx);
    if (name === undefined || typeof value !== "object" || value === null || Array.isArray(value)) {
      cx.note("dropped", `scenario ${cx.snippet(prop, 40)}`, prop, "a computed scenario");
      continue;
    }
    if (holdsTemplate(value)) {
      cx.note("dropped", `scenario ${name}`, prop, "its options depend on the environment; loadr's executor options are literal");
      continue;
    }
    const given = value as Record<string, unknown>;
    const executor = String(given.executor ?? "");
    const allowed = EXECUTOR_OPTIONS[executor];
    if (!allowed) {
      cx.note("dropped", `scenario ${name}`, prop, `executor ${JSON.stringify(given.executor)} is not one loadr has (${Object.keys(EXECUTOR_OPTIONS).join(", ")})`);
      continue;
    }
    const options: Record<string, unknown> = { executor };
    for (const key of [...COMMON.slice(0, 2), ...allowed, ...COMMON.slice(2)]) {
      if (given[key] === undefined) continue;
      options[key] = given[key];
    }
    for (const key of Object.keys(given)) {
      if (key === "executor" || key === "exec" || Object.hasOwn(options, key)) continue;
      cx.note("dropped", `scenarios.${name}.${key}`, prop, `not an option of ${executor} in loadr`);
    }
    const exec = typeof given.exec === "string" ? given.exec : "default";
    into.push({ name, options, exec, at: prop });
    cx.note("mapped", `scenario ${name} (${executor})`, prop, exec === "default" ? undefined : `runs ${exec}`);
  }
}


/** Whether a converted value holds a `${…}` template anywhere (k6 computed it at start from code or __ENV). */
function holdsTemplate(value: unknown): boolean {
  if (typeof value === "string") return value.replaceAll("$${", "").includes("${");
  if (Array.isArray(value)) return value.some(holdsTemplate);
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsTemplate);
  return false;
}
