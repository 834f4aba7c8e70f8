// A thread group's tree → a loadr flow (src/core/flow/steps/, the request step). Pure.
//
// JMeter's scoping rules, which this walk follows:
// - Config elements, timers, pre-processors, post-processors and assertions apply to every
//   sampler in their scope: the controller that holds them and everything below it, wherever in
//   the controller they stand. One that is a sampler's child applies to that sampler only.
// - Per sampler, JMeter runs: pre-processors, timers (all of them: their delays add up), the
//   sample, post-processors, assertions — outer scopes first.
// So each controller level first gathers its scoped elements into a `Scope` (over the parent's),
// then maps its samplers and controllers in order. A request step carries its scope's headers,
// checks and extractions; the pre-processor hooks and sleeps go before it, the extractors'
// defaults and post-processor hooks after it.
//
// Controllers: Loop → `loop: { count }` (a count computed at run time: a counter loop); While →
// `loop: { while, max }`; If → `if:`; Transaction → `group:`; Once Only → `if: "${iteration ==
// 0}"`; Simple/Recording → their steps in place; Throughput (percent) → `if: randomInt(1, 100)
// <= P`; Random → one child picked by `randomInt`; Critical Section, Random Order, Runtime →
// their steps in place (noted). Disabled elements are skipped (noted), as JMeter skips them.
import { checksOf, ASSERTIONS, type Check } from "./assertions.ts";
import { translateJs, hookSource, Unmapped, unwrap } from "./condition.ts";
import { locate, type JmxContext, type Located } from "./context.ts";
import { extractionOf, EXTRACTORS } from "./extractors.ts";
import { buildRequest, headersOf, type Built } from "./http.ts";
import { kindName, label, shortClass } from "./labels.ts";
import { bool, classOf, isEnabled, str } from "./props.ts";
import { scriptHook, SCRIPTS } from "./scripts.ts";
import { millis } from "./thread-groups.ts";
import { sleepOf, TIMERS } from "./timers.ts";
import { readReference, staticText, toExpression, translate, varName } from "./text.ts";
import type { JmxElement } from "./xml.ts";

export type Step = Record<string, unknown>;

/** Iterations of a While Controller (JMeter's are unbounded; loadr's `max:` bounds them). */
export const WHILE_MAX = 1000;

interface Scope {
  /** HTTP Request Defaults, nearest first. */
  readonly defaults: readonly JmxElement[];
  /** Header Manager headers, outer first. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly pre: readonly Step[];
  readonly timers: readonly Step[];
  readonly checks: readonly Check[];
  readonly extract: Readonly<Record<string, Record<string, unknown>>>;
  /** Steps after the request: extractor defaults, then post-processor and assertion hooks. */
  readonly after: readonly Step[];
}

export const EMPTY_SCOPE: Scope = { defaults: [], headers: [], pre: [], timers: [], checks: [], extract: {}, after: [] };

/** What the walk produced besides steps: every request, for the base URL pass. */
export interface FlowOutput {
  readonly requests: Built[];
}

type Role = "config" | "timer" | "pre" | "post" | "assertion" | "listener" | "sampler" | "controller" | "group" | "other";

const CONFIG = new Set([
  "HeaderManager",
  "CookieManager",
  "ConfigTestElement",
  "CSVDataSet",
  "Arguments",
  "CounterConfig",
  "RandomVariableConfig",
  "CacheManager",
  "AuthManager",
  "DNSCacheManager",
  "KeystoreConfig",
  "LoginConfig",
  "SampleTimeout",
]);
const CONTROLLERS = new Set([
  "LoopController",
  "IfController",
  "WhileController",
  "TransactionController",
  "OnceOnlyController",
  "GenericController",
  "RecordingController",
  "ThroughputController",
  "RandomController",
  "RandomOrderController",
  "InterleaveControl",
  "RunTime",
  "SwitchController",
  "ForeachController",
  "ModuleController",
  "IncludeController",
  "CriticalSectionController",
]);

export function roleOf(el: JmxElement): Role {
  const cls = shortClass(el);
  if (CONFIG.has(cls)) return "config";
  if (TIMERS.has(cls) || cls.endsWith("Timer")) return "timer";
  if (cls.endsWith("PreProcessor") || cls === "UserParameters" || cls === "RegExUserParameters") return "pre";
  if (EXTRACTORS.has(cls) || cls.endsWith("PostProcessor") || cls.endsWith("Extractor")) return "post";
  if (ASSERTIONS.has(cls) || cls.endsWith("Assertion")) return "assertion";
  if (cls === "ResultCollector" || cls === "BackendListener" || cls === "Summariser" || cls.endsWith("Listener") || cls.endsWith("Visualizer")) return "listener";
  if (CONTROLLERS.has(cls) || cls.endsWith("Controller")) return "controller";
  if (cls.endsWith("ThreadGroup")) return "group";
  if (cls.endsWith("Sampler") || cls.startsWith("HTTPSampler") || cls === "TestAction" || cls.endsWith("SamplerProxy")) return "sampler";
  return "other";
}

export class FlowBuilder {
  readonly requests: Built[] = [];

  constructor(private readonly ctx: JmxContext) {}

  /** The steps of a controller's children under `parent` scope. */
  steps(children: readonly JmxElement[], parentAt: Located, parent: Scope): Step[] {
    const scope = this.scope(children, parentAt, parent);
    const steps: Step[] = [];
    for (const el of children) if (isEnabled(el) && shortClass(el) === "CounterConfig") steps.push(...this.counter(locate(el, parentAt)));
    for (const el of children) {
      const at = locate(el, parentAt);
      if (!isEnabled(el)) continue; // noted by `scope`
      const role = roleOf(el);
      if (role === "sampler") steps.push(...this.sampler(at, scope));
      else if (role === "controller") steps.push(...this.controller(at, scope));
      else if (role === "group") this.ctx.dropped(at, "a thread group inside another element is not run by JMeter");
    }
    return steps;
  }

  /** The scope the Test Plan level gives every thread group (noting its elements once). */
  scopeOf(children: readonly JmxElement[], parentAt: Located, parent: Scope): Scope {
    return this.scope(children, parentAt, parent);
  }

  /** The scope of a level: the parent's plus the level's scoped elements (noting every element of the level once). */
  private scope(children: readonly JmxElement[], parentAt: Located, parent: Scope): Scope {
    const defaults = [...parent.defaults];
    const headers = [...parent.headers];
    const pre = [...parent.pre];
    const timers = [...parent.timers];
    const checks = [...parent.checks];
    const extract = { ...parent.extract };
    const after = [...parent.after];
    const added: JmxElement[] = [];
    for (const el of children) {
      const at = locate(el, parentAt);
      if (!isEnabled(el)) {
        this.ctx.mapped(at, "disabled: skipped, as JMeter skips it");
        continue;
      }
      const cls = shortClass(el);
      switch (roleOf(el)) {
        case "config":
          if (cls === "ConfigTestElement") {
            if ((el.attrs.guiclass ?? "").endsWith("HttpDefaultsGui") || el.props.some((p) => p.name.startsWith("HTTPSampler."))) {
              added.unshift(el);
              this.ctx.mapped(at);
              if (bool(el, "HTTPSampler.image_parser")) {
                this.ctx.dropped(at, "embedded resources (images, scripts, styles of an HTML page) are not fetched: loadr requests the pages only", "embedded resources");
              }
            } else this.ctx.dropped(at, "this config element is not mapped");
          } else if (cls === "HeaderManager") {
            headers.push(...headersOf(at, this.ctx));
            this.ctx.mapped(at);
          } else if (cls === "CookieManager" || cls === "CSVDataSet" || cls === "Arguments" || cls === "CounterConfig") {
            // Noted by the converter's pre-pass (plan-wide in loadr).
          } else if (cls === "CacheManager") {
            this.ctx.dropped(at, "loadr does not cache responses: every request is sent");
          } else if (cls === "DNSCacheManager") {
            this.ctx.dropped(at, "loadr resolves names with the system resolver");
          } else {
            this.ctx.dropped(at, `${kindName(el)} is not mapped`);
          }
          break;
        case "timer": {
          if (SCRIPTS.has(cls)) {
            scriptHook(at, this.ctx);
            break;
          }
          if (!TIMERS.has(cls)) {
            this.ctx.dropped(at, `${kindName(el)} is not mapped (mapped: Constant, Uniform Random and Gaussian Random Timers)`);
            break;
          }
          const sleep = sleepOf(at, this.ctx);
          if (sleep) timers.push(sleep);
          break;
        }
        case "pre": {
          const hook = SCRIPTS.has(cls) ? scriptHook(at, this.ctx) : (this.ctx.dropped(at, `${kindName(el)} is not mapped`), undefined);
          if (hook) pre.push({ js: hook });
          break;
        }
        case "post": {
          if (EXTRACTORS.has(cls)) {
            const extraction = extractionOf(at, this.ctx);
            Object.assign(extract, extraction.extract);
            after.push(...extraction.after);
          } else if (SCRIPTS.has(cls)) {
            const hook = scriptHook(at, this.ctx);
            if (hook) after.push({ js: hook });
          } else {
            this.ctx.dropped(at, `${kindName(el)} is not mapped (mapped: Regular Expression, JSON and Boundary Extractors)`);
          }
          break;
        }
        case "assertion": {
          if (ASSERTIONS.has(cls)) checks.push(...checksOf(at, this.ctx));
          else if (SCRIPTS.has(cls)) {
            const hook = scriptHook(at, this.ctx);
            if (hook) after.push({ js: hook });
          } else this.ctx.dropped(at, `${kindName(el)} is not mapped (mapped: Response, JSON, Duration and Size Assertions)`);
          break;
        }
        case "listener":
          if (SCRIPTS.has(cls)) scriptHook(at, this.ctx);
          else this.ctx.dropped(at, "listeners are not mapped: loadr reports in its summary and outputs (--out, --summary-json)");
          break;
        case "other":
          this.ctx.dropped(at, `${kindName(el)} (${classOf(el)}) is not mapped`);
          break;
        default:
          break;
      }
    }
    return { defaults: [...added, ...defaults], headers, pre, timers, checks, extract, after };
  }

  private sampler(at: Located, parent: Scope): Step[] {
    const cls = shortClass(at.el);
    const own = this.scope(at.el.children, at, parent);
    if (cls.startsWith("HTTPSampler")) {
      const built = buildRequest(at, own.defaults, own.headers, this.ctx);
      if (!built) return [];
      this.ctx.mapped(at);
      // Copies: a scope's steps and checks repeat at every request, and a shared object would be
      // written as a YAML anchor and alias.
      if (own.checks.length > 0) built.request.checks = structuredClone([...own.checks]);
      if (Object.keys(own.extract).length > 0) built.request.extract = structuredClone({ ...own.extract });
      this.requests.push(built);
      return structuredClone([...own.pre, ...own.timers]).concat([{ request: built.request }], structuredClone([...own.after]));
    }
    if (SCRIPTS.has(cls)) {
      const hook = scriptHook(at, this.ctx);
      return hook ? structuredClone([...own.pre, ...own.timers, { js: hook }, ...own.after]) : [];
    }
    if (cls === "TestAction") {
      const action = str(at.el, "ActionProcessor.action", "1").trim();
      const duration = Number(staticText(translate(str(at.el, "ActionProcessor.duration", "0"), this.ctx.loadTime(at))) ?? Number.NaN);
      if (action === "1" && Number.isFinite(duration)) {
        // A zero pause with timers under it is JMeter's "think time" idiom: the timers are the pause.
        this.ctx.mapped(at, "a pause");
        return structuredClone([...own.timers, ...(duration > 0 || own.timers.length === 0 ? [{ sleep: millis(duration) }] : [])]);
      }
      this.ctx.dropped(at, "only its pause is mapped (stopping a thread or the test is not)");
      return [];
    }
    if (cls === "DebugSampler") {
      this.ctx.dropped(at, "a Debug Sampler only shows variables in JMeter's listeners");
      return [];
    }
    this.ctx.dropped(at, `${kindName(at.el)} is not mapped: loadr's JMX converter maps HTTP Requests`);
    return [];
  }

  private controller(at: Located, parent: Scope): Step[] {
    const { el } = at;
    const cls = shortClass(el);
    const body = () => this.steps(el.children, at, parent);
    switch (cls) {
      case "GenericController":
      case "RecordingController":
        this.ctx.mapped(at, "its steps in place");
        return body();
      case "TransactionController": {
        const steps = body();
        this.ctx.mapped(at, `group "${el.attrs.testname ?? ""}"`);
        return steps.length > 0 ? [{ group: el.attrs.testname || label(el), steps }] : [];
      }
      case "OnceOnlyController": {
        const steps = body();
        this.ctx.mapped(at, "runs on each VU's first iteration");
        return steps.length > 0 ? [{ if: "${iteration == 0}", then: steps }] : [];
      }
      case "LoopController":
        return this.loop(at, body());
      case "IfController":
        return this.ifController(at, body());
      case "WhileController":
        return this.whileController(at, body());
      case "ThroughputController": {
        const steps = body();
        const percentMode = str(el, "ThroughputController.style", "1").trim() === "1";
        const percent = Number(str(el, "ThroughputController.percentThroughput", "").trim() || (el.props.find((p) => p.name === "ThroughputController.percentThroughput")?.props[0]?.text ?? "100"));
        if (!percentMode || !Number.isFinite(percent)) {
          this.ctx.dropped(at, "the total-executions mode is not mapped: its steps run every time");
          return steps;
        }
        this.ctx.mapped(at, `runs with probability ${percent}% (JMeter interleaves exactly ${percent}%)`);
        return steps.length > 0 ? [{ if: `\${randomInt(1, 10000) <= ${Math.round(percent * 100)}}`, then: steps }] : [];
      }
      case "RandomController": {
        const options = el.children.filter((c) => isEnabled(c) && (roleOf(c) === "sampler" || roleOf(c) === "controller"));
        const scope = this.scope(el.children.filter((c) => !options.includes(c)), at, parent);
        const pick = varName(`random_${this.ctx.hookName(el.attrs.testname || "random")}`);
        const branches = options.map((c, i) => ({ if: `\${vars.${pick} == ${i + 1}}`, then: this.steps([c], at, scope) })).filter((b) => b.then.length > 0);
        this.ctx.mapped(at, "one child, picked at random each time");
        return branches.length > 0 ? [{ set: { [pick]: `\${randomInt(1, ${options.length})}` } }, ...branches] : [];
      }
      case "CriticalSectionController":
      case "RandomOrderController":
      case "RunTime": {
        const steps = body();
        const why = cls === "CriticalSectionController" ? "no lock across VUs" : cls === "RandomOrderController" ? "in the order written, not shuffled" : "once, not repeated for its run time";
        this.ctx.dropped(at, `its steps run in place: ${why}`);
        return steps;
      }
      default: {
        const samplers = countSamplers(el);
        this.ctx.dropped(at, `${kindName(el)} is not mapped: its ${samplers} sampler${samplers === 1 ? "" : "s"} ${samplers === 1 ? "is" : "are"} left out`);
        return [];
      }
    }
  }

  /**
   * Counter (`CounterConfig.name`, `.start`, `.incr`, `.per_user`): each VU's own counter, one
   * step per pass of its level — start on the first, then + increment. A counter shared by all
   * threads, an end (wrap-around) or a number format is not mapped.
   */
  private counter(at: Located): Step[] {
    const { el } = at;
    const name = varName(str(el, "CounterConfig.name").trim() || "counter");
    const start = Number(str(el, "CounterConfig.start", "0").trim() || "0");
    const incr = Number(str(el, "CounterConfig.incr", "1").trim() || "1");
    if (!Number.isFinite(start) || !Number.isFinite(incr)) {
      this.ctx.dropped(at, "its start or increment is not a number known before the run");
      return [];
    }
    const unmapped = [
      ...(bool(el, "CounterConfig.per_user") ? [] : ["one counter shared by all threads (each VU counts on its own)"]),
      ...(str(el, "CounterConfig.end").trim() !== "" ? [`the end ${str(el, "CounterConfig.end").trim()} (it does not wrap around)`] : []),
      ...(str(el, "CounterConfig.format").trim() !== "" ? [`the format ${str(el, "CounterConfig.format").trim()}`] : []),
    ];
    if (unmapped.length > 0) this.ctx.dropped(at, `not mapped: ${unmapped.join("; ")}`, "Counter options");
    this.ctx.mapped(at, `vars.${name}: ${start} on each VU's first pass, then + ${incr}`);
    return [
      { if: `\${vars.${name} == null}`, then: [{ set: { [name]: start - incr } }] },
      { set: { [name]: `\${vars.${name} + ${incr}}` } },
    ];
  }

  private loop(at: Located, steps: Step[]): Step[] {
    const { el } = at;
    const raw = str(el, "LoopController.loops", "1").trim();
    if (steps.length === 0) return [];
    // A Loop Controller saves continue_forever=true for "run again next time"; -1 is forever.
    if (raw === "-1") {
      this.ctx.dropped(at, `loops forever in JMeter: bounded to ${WHILE_MAX} iterations`);
      return [{ loop: { while: "${true}", max: WHILE_MAX }, steps }];
    }
    const parts = translate(raw, this.ctx.runtime(at));
    const text = staticText(parts);
    const count = text === undefined || parts.some((p) => p.kind === "env") ? Number.NaN : Number(text);
    if (Number.isInteger(count) && count >= 0) {
      this.ctx.mapped(at);
      return [{ loop: { count }, steps }];
    }
    // A count known only at run time: a counter loop.
    const counter = varName(`loop_${this.ctx.hookName(el.attrs.testname || "loop")}`);
    this.ctx.mapped(at, `a counter loop (vars.${counter}) over the count ${raw}`);
    return [
      { set: { [counter]: 0 } },
      { loop: { while: `\${vars.${counter} < int(${toExpression(parts)})}`, max: 100000 }, steps: [...steps, { set: { [counter]: `\${vars.${counter} + 1}` } }] },
    ];
  }

  private ifController(at: Located, steps: Step[]): Step[] {
    const { el } = at;
    if (steps.length === 0) return [];
    const condition = str(el, "IfController.condition").trim();
    if (bool(el, "IfController.evaluateAll")) this.ctx.dropped(at, '"evaluate for all children" is not mapped: the condition is tested once, before the children', "If Controller: evaluate for all children");
    const mapped = this.condition(at, condition, bool(el, "IfController.useExpression") ? "expression" : "javascript");
    if (mapped.kind === "expr") {
      this.ctx.mapped(at);
      return [{ if: `\${${mapped.code}}`, then: steps }];
    }
    if (mapped.kind === "hook") return [{ js: mapped.hook }, { if: `\${vars.${mapped.variable}}`, then: steps }];
    this.ctx.dropped(at, `the condition ${condition} is not mapped (${mapped.reason}): its steps run every time`);
    return steps;
  }

  private whileController(at: Located, steps: Step[]): Step[] {
    const { el } = at;
    if (steps.length === 0) return [];
    const condition = str(el, "WhileController.condition").trim();
    if (condition === "" || condition.toUpperCase() === "LAST") {
      this.ctx.dropped(at, "looping until a sampler fails is not mapped: its steps run once");
      return steps;
    }
    const mapped = this.condition(at, condition, "while");
    if (mapped.kind === "expr") {
      this.ctx.mapped(at, `bounded to ${WHILE_MAX} iterations (loadr's max:)`);
      return [{ loop: { while: `\${${mapped.code}}`, max: WHILE_MAX }, steps }];
    }
    if (mapped.kind === "hook") {
      return [{ js: mapped.hook }, { loop: { while: `\${vars.${mapped.variable}}`, max: WHILE_MAX }, steps: [...steps, { js: mapped.hook }] }];
    }
    this.ctx.dropped(at, `the condition ${condition} is not mapped (${mapped.reason}): its steps run once`);
    return steps;
  }

  /**
   * A condition as a loadr expression, a hook computing it, or the reason for neither.
   * "javascript": the text is JavaScript after substitution (If Controller default).
   * "expression": the If Controller's "interpret as variable expression": true when the text is "true".
   * "while": the While Controller's: true while the text is not "false".
   */
  private condition(
    at: Located,
    text: string,
    mode: "javascript" | "expression" | "while",
  ): { kind: "expr"; code: string } | { kind: "hook"; hook: string; variable: string } | { kind: "none"; reason: string } {
    const ctx = this.ctx.runtime(at);
    const ref = text.startsWith("${") ? readReference(text, 0) : undefined;
    const whole = ref && ref.end === text.length ? ref : undefined;
    let js: string | undefined = mode === "javascript" ? text : undefined;
    if (whole?.function && ["__javaScript", "__jexl2", "__jexl3", "__groovy"].includes(whole.name)) js = whole.args?.[0] ?? "";
    if (js !== undefined) {
      try {
        return { kind: "expr", code: unwrap(translateJs(js, ctx)) };
      } catch (error) {
        if (!(error instanceof Unmapped)) throw error;
        if (whole?.name === "__groovy" || whole?.name?.startsWith("__jexl")) return { kind: "none", reason: `${whole.name} code: ${error.message}` };
        return this.conditionHook(at, js, error.message);
      }
    }
    const value = toExpression(translate(text, ctx));
    return { kind: "expr", code: mode === "while" ? `lower(${value}) != 'false'` : `lower(${value}) == 'true'` };
  }

  private conditionHook(at: Located, js: string, reason: string): { kind: "hook"; hook: string; variable: string } {
    const name = this.ctx.hookName(`${at.el.attrs.testname || label(at.el)} condition`);
    const variable = varName(name);
    const code = hookSource(js, this.ctx.runtime(at));
    this.ctx.hooks.push({
      name,
      source: [
        `// ${this.ctx.where(at)}`,
        `// JMeter condition: ${js.replace(/\n/g, " ")}`,
        `export function ${name}(loadr) {`,
        ...(code.includes("v(") ? ['  const v = (name) => (loadr.vars[name] == null ? "" : String(loadr.vars[name]));'] : []),
        `  return { ${variable}: Boolean(${code}) };`,
        "}",
      ].join("\n"),
    });
    this.ctx.hook(at, `the condition is JavaScript loadr's expressions do not cover (${reason}): the hook ${name} computes vars.${variable}`);
    return { kind: "hook", hook: name, variable };
  }
}

function countSamplers(el: JmxElement): number {
  return el.children.reduce((n, c) => n + (roleOf(c) === "sampler" ? 1 : 0) + countSamplers(c), 0);
}

export type { Scope };
