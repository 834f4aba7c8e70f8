// `loadr convert jmx plan.jmx`: a JMeter test plan → a loadr plan (the contract:
// src/convert/types.ts; what maps to what: docs/convert-jmx.md). Pure.
//
// 1. Parse (xml.ts): malformed XML is a ConvertInputError with the parser's line and column.
// 2. A pre-pass over the enabled tree: CSV Data Set Configs become `data:` feeds (their variables
//    read as `data.FEED.COLUMN`); User Defined Variables (the Test Plan's and every Arguments
//    element — JMeter processes them all at the start, wherever they are) become one `set:` at
//    the start of each flow, and give load-time values (the base URL) their text.
// 3. Each enabled thread group → a scenario (thread-groups.ts for the executor, flow.ts for the
//    steps), under the Test Plan level's scope (its Header Managers, defaults, timers …).
// 4. The base URL: the most common origin among the requests (a literal one as
//    `${env.BASE_URL:-origin}`, so a run can point it elsewhere); those requests keep relative
//    URLs. A header, timeout or connect timeout every request has alike moves to `defaults:`.
import type { Conversion, Converter, ConvertInput } from "../types.ts";
import { ConvertInputError } from "../types.ts";
import { locate, JmxContext, type Located } from "./context.ts";
import { counterSteps } from "./controllers.ts";
import { writtenNames } from "./extractors.ts";
import { EMPTY_SCOPE, FlowBuilder, type Step } from "./flow.ts";
import { roleOf } from "./roles.ts";
import type { Built } from "./http.ts";
import { kindName, shortClass } from "./labels.ts";
import { argumentsOf, bool, collection, isEnabled, str } from "./props.ts";
import { HOOKS_PRELUDE } from "./scripts.ts";
import { executorOf, THREAD_GROUPS } from "./thread-groups.ts";
import { toTemplate, translate, varName } from "./text.ts";
import { parseJmx, type JmxElement } from "./xml.ts";

export const jmxConverter: Converter = {
  name: "jmx",
  usage: "a JMeter test plan (.jmx)",
  options: [],
  convert: convertJmx,
};

export function convertJmx(input: ConvertInput): Conversion {
  const roots = parseJmx(input.source, input.fileName);
  const testPlan = roots.find((el) => shortClass(el) === "TestPlan");
  if (!testPlan) {
    throw new ConvertInputError("the file holds no Test Plan element (<TestPlan> under <jmeterTestPlan><hashTree>)", input.fileName, roots[0]?.line ?? 1, 1);
  }
  const ctx = new JmxContext(input.fileName);
  const planAt = locate(testPlan);
  const udvs = collectDefinitions(planAt, ctx);
  const flow = new FlowBuilder(ctx);

  // The Test Plan level's own scoped elements (Header Managers, defaults, …) cover every group.
  const groups = testPlan.children.filter((el) => roleOf(el) === "group");
  const planScope = flow.scope(testPlan.children.filter((el) => roleOf(el) !== "group"), planAt, EMPTY_SCOPE);
  const serialize = bool(testPlan, "TestPlan.serialize_threadgroups");
  // Counters at the Test Plan level count in every thread group (computed, and noted, once).
  const planCounters = testPlan.children.filter((el) => isEnabled(el) && shortClass(el) === "CounterConfig").flatMap((el) => counterSteps(locate(el, planAt), ctx));

  const scenarios: Record<string, unknown> = {};
  const names = new Set<string>();
  let startOffset = 0;
  let serialKnown = true;
  for (const group of groups) {
    const at = locate(group, planAt);
    if (!isEnabled(group)) {
      ctx.mapped(at, "disabled: skipped, as JMeter skips it");
      continue;
    }
    if (!THREAD_GROUPS.has(shortClass(group))) {
      ctx.dropped(at, `${kindName(group)} is not mapped (mapped: Thread Group, setUp/tearDown Thread Group, Concurrency, Arrivals and Ultimate Thread Groups)`);
      continue;
    }
    const executor = executorOf(at, ctx);
    if (!executor) continue;
    const steps = flow.steps(group.children, at, planScope);
    if (steps.length === 0) {
      ctx.dropped(at, "it sends no request loadr can make: no scenario written");
      continue;
    }
    cookieNote(at, testPlan, ctx);
    const prologue: Step[] = udvs.defs.length > 0 ? [udvStep(udvs, ctx)] : [];
    const name = uniqueName(group.attrs.testname || "thread group", names);
    if (serialize) {
      if (startOffset > 0 && serialKnown) executor.startTime = `${startOffset}s`;
      const length = lengthSeconds(executor);
      if (length === undefined) serialKnown = false;
      else startOffset += length;
    }
    ctx.mapped(at, `scenario ${name} (${String(executor.executor)})`);
    scenarios[name] = { ...executor, flow: [...prologue, ...structuredClone(planCounters), ...steps] };
  }
  if (serialize) {
    if (serialKnown) ctx.mapped(planAt, "thread groups one after another: each scenario's startTime follows the previous one's length", "run thread groups consecutively");
    else ctx.dropped(planAt, "a thread group's length is not known in advance (iterations): the scenarios after it start at once", "run thread groups consecutively");
  }
  if (Object.keys(scenarios).length === 0) ctx.dropped(planAt, "no thread group could be converted: the plan has no scenarios", "thread groups");

  const plan: Record<string, unknown> = { name: testPlan.attrs.testname || "jmeter plan" };
  const base = baseUrlOf(flow.requests, ctx, planAt);
  if (base !== undefined) plan.baseUrl = base;
  const defaults = hoistDefaults(flow.requests);
  if (Object.keys(defaults).length > 0) plan.defaults = defaults;
  if (ctx.feeds.size > 0) plan.data = Object.fromEntries([...ctx.feeds.values()].map((f) => [f.name, f.mode === "sequential" ? { csv: f.csv } : { csv: f.csv, mode: f.mode }]));
  plan.scenarios = scenarios;

  const hooks = ctx.hooks.length > 0 ? `${HOOKS_PRELUDE}\n${ctx.hooks.map((h) => h.source).join("\n\n")}\n` : undefined;
  return { plan, ...(hooks ? { hooks } : {}), ...(ctx.files.length > 0 ? { files: [...ctx.files] } : {}), notes: ctx.notes };
}

interface Definition {
  readonly name: string;
  readonly value: string;
}

interface Definitions {
  readonly defs: readonly Definition[];
  /** Set only on each VU's first iteration (an extractor writes one of the names). */
  readonly firstOnly: boolean;
}

/** CSV feeds, User Defined Variables, and the names extractors write, from the whole enabled tree. */
function collectDefinitions(planAt: Located, ctx: JmxContext): Definitions {
  const defs: Definition[] = [];
  const written = new Set<string>();
  const planArgs = argumentsOf(planAt.el, "TestPlan.user_defined_variables");
  for (const arg of planArgs) defs.push({ name: arg.name, value: arg.value });
  if (planArgs.length > 0) ctx.mapped(planAt, `${planArgs.map((a) => a.name).join(", ")}: a set: step at the start of the flow`, "User Defined Variables");
  const visit = (el: JmxElement, parent: Located) => {
    const at = locate(el, parent);
    if (!isEnabled(el)) return;
    const cls = shortClass(el);
    if (cls === "CSVDataSet") csvFeed(at, ctx);
    else if (cls === "Arguments") {
      const args = argumentsOf(el);
      for (const arg of args) defs.push({ name: arg.name, value: arg.value });
      ctx.mapped(at, `${args.map((a) => a.name).join(", ") || "no variables"}: a set: step at the start of the flow (JMeter sets every User Defined Variables element at the start, wherever it stands)`);
    } else if (cls === "CookieManager") {
      if (bool(el, "CookieManager.clearEachIteration")) ctx.dropped(at, "clearing cookies each iteration is not mapped: loadr's per-VU jar keeps them across iterations", "clear cookies each iteration");
      const preset = collection(el, "CookieManager.cookies");
      if (preset.length > 0) ctx.dropped(at, `the predefined cookies (${preset.map((c) => c.name).join(", ")}) are not mapped: set a cookie header`, "predefined cookies");
      else ctx.mapped(at, "loadr keeps a cookie jar per VU");
    }
    for (const name of writtenNames(at)) written.add(name);
    for (const child of el.children) visit(child, at);
  };
  for (const child of planAt.el.children) visit(child, planAt);
  for (const def of defs) ctx.defined.set(def.name, def.value);
  for (const def of defs) if (!def.value.includes("${") && !written.has(def.name) && !ctx.columns.has(def.name)) ctx.constants.set(def.name, def.value);
  // A name an extractor also writes must not be reset each iteration: set it on the first only.
  return { defs, firstOnly: defs.some((d) => written.has(d.name)) };
}

function udvStep({ defs, firstOnly }: Definitions, ctx: JmxContext): Step {
  const values: Record<string, string> = {};
  const at: Located = { el: { tag: "Arguments", attrs: { testname: "User Defined Variables" }, line: 1, props: [], children: [] }, path: ["Test Plan"] };
  for (const def of defs) values[varName(def.name)] = toTemplate(translate(def.value, ctx.runtime(at)));
  const set = { set: values };
  return firstOnly ? { if: "${iteration == 0}", then: [set] } : set;
}

function csvFeed(at: Located, ctx: JmxContext): void {
  const { el } = at;
  const file = str(el, "filename").trim();
  const names = str(el, "variableNames").split(",").map((n) => n.trim()).filter(Boolean);
  const delimiter = str(el, "delimiter", ",");
  const ignoreFirst = bool(el, "ignoreFirstLine");
  const share = str(el, "shareMode", "shareMode.all").trim();
  if (file === "") {
    ctx.dropped(at, "no file name");
    return;
  }
  if (/\$\{/.test(file)) {
    ctx.dropped(at, `the file name ${file} is computed: loadr feeds name their file literally`);
    return;
  }
  const base = file.replace(/\\/g, "/").split("/").pop() ?? file;
  let feed = varName(base.replace(/\.[^.]*$/, "") || "data");
  for (let n = 2; ctx.feeds.has(feed); n++) feed = `${varName(base.replace(/\.[^.]*$/, ""))}${n}`;
  ctx.feeds.set(feed, { name: feed, csv: file, mode: "sequential" });
  if (!ctx.files.includes(file)) ctx.files.push(file);
  for (const name of names) ctx.columns.set(name, { feed, column: varName(name) });
  const notes: string[] = [`feed ${feed} (${file})`];
  if (names.length === 0) {
    ctx.dropped(at, `no variable names: the columns come from the file's first line, which the converter cannot read; references to them stay VU variables (name the columns in "Variable Names")`, "CSV columns");
  } else if (!ignoreFirst) {
    ctx.dropped(at, `loadr reads column names from a feed's first line: add the line "${names.map(varName).join(",")}" at the top of ${file}`, "CSV without a header line");
  } else {
    notes.push(`its first line must name the columns ${names.map(varName).join(",")}`);
  }
  if (delimiter !== "," && delimiter !== "") ctx.dropped(at, `the delimiter ${JSON.stringify(delimiter)} is not mapped: loadr's CSV feeds are comma-separated`, "CSV delimiter");
  if (share === "shareMode.thread") ctx.dropped(at, "each thread reading the file from its start is not mapped: the VUs share one sequence", "CSV sharing mode: current thread");
  else if (share !== "shareMode.all") notes.push("shared by the whole test (JMeter shares it per thread group)");
  if (!bool(el, "recycle", true)) ctx.dropped(at, `${bool(el, "stopThread") ? "stopping the thread" : "an empty value"} at the end of the file is not mapped: loadr starts the file over`, "CSV end of file");
  ctx.mapped(at, notes.join("; "));
}

function cookieNote(at: Located, testPlan: JmxElement, ctx: JmxContext): void {
  const has = (el: JmxElement): boolean => isEnabled(el) && (shortClass(el) === "CookieManager" || el.children.some(has));
  if (testPlan.children.some((c) => roleOf(c) !== "group" && has(c)) || at.el.children.some(has)) return;
  ctx.mapped(at, "no HTTP Cookie Manager: JMeter sends no cookies here, loadr's per-VU jar does", "cookies");
}

function uniqueName(testname: string, taken: Set<string>): string {
  const slug = testname.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "thread-group";
  let name = slug;
  for (let n = 2; taken.has(name); n++) name = `${slug}-${n}`;
  taken.add(name);
  return name;
}

/** A scenario's length in seconds when it is fixed in advance (for consecutive thread groups). */
function lengthSeconds(executor: Record<string, unknown>): number | undefined {
  const secs = (d: unknown) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(String(d));
    if (!m) return Number.NaN;
    return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600 } as Record<string, number>)[m[2]!]!;
  };
  const start = executor.startTime === undefined ? 0 : secs(executor.startTime);
  if (typeof executor.duration === "string") return start + secs(executor.duration);
  if (Array.isArray(executor.stages)) return start + executor.stages.reduce((s: number, st: { duration: string }) => s + secs(st.duration), 0);
  return undefined;
}

/** Picks the base URL and makes the requests under it relative. */
function baseUrlOf(requests: readonly Built[], ctx: JmxContext, planAt: Located): string | undefined {
  const counts = new Map<string, number>();
  for (const r of requests) if (r.origin?.loadTime) counts.set(r.origin.template, (counts.get(r.origin.template) ?? 0) + 1);
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const noOrigin = requests.filter((r) => r.origin === undefined);
  for (const r of requests) {
    r.request.url = r.origin === undefined || r.origin.template === best ? r.path : r.origin.template + r.path;
  }
  if (best === undefined) {
    if (noOrigin.length === 0) return undefined;
    ctx.dropped(planAt, "no request names a server (HTTP Request Defaults or the sampler's server name): set BASE_URL when running", "server name");
    return "${env.BASE_URL}";
  }
  if (noOrigin.length > 0) ctx.mapped(planAt, `requests without a server name use the base URL ${best}`, "server name");
  const origin = requests.find((r) => r.origin?.template === best)!.origin!;
  return origin.literal && !best.includes("}") ? `\${env.BASE_URL:-${best}}` : best;
}

/** Headers and timeouts every request has alike, moved to `defaults:`. */
function hoistDefaults(requests: readonly Built[]): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  if (requests.length < 2) return defaults;
  const first = requests[0]!.request;
  const headers = (r: Record<string, unknown>) => (r.headers ?? {}) as Record<string, string>;
  const common: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers(first))) {
    if (requests.every((r) => Object.entries(headers(r.request)).some(([n, v]) => n === name && v === value))) common[name] = value;
  }
  if (Object.keys(common).length > 0) {
    defaults.headers = common;
    for (const r of requests) {
      const rest = Object.fromEntries(Object.entries(headers(r.request)).filter(([n]) => !Object.hasOwn(common, n)));
      if (Object.keys(rest).length > 0) r.request.headers = rest;
      else delete r.request.headers;
    }
  }
  for (const key of ["timeout", "connectTimeout"] as const) {
    const value = first[key];
    if (value !== undefined && requests.every((r) => r.request[key] === value)) {
      defaults[key] = value;
      for (const r of requests) delete r.request[key];
    }
  }
  return defaults;
}
