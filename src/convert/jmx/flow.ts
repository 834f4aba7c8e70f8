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
// defaults and post-processor hooks after it. Controllers are controllers.ts. Disabled elements
// are skipped (noted), as JMeter skips them.
import { checksOf, ASSERTIONS, type Check } from "./assertions.ts";
import { controllerSteps, counterSteps } from "./controllers.ts";
import { locate, type JmxContext, type Located } from "./context.ts";
import { extractionOf, EXTRACTORS } from "./extractors.ts";
import { buildRequest, headersOf, type Built } from "./http.ts";
import { kindName, shortClass } from "./labels.ts";
import { bool, classOf, isEnabled, str } from "./props.ts";
import { roleOf } from "./roles.ts";
import { scriptHook, SCRIPTS } from "./scripts.ts";
import { millis } from "./thread-groups.ts";
import { sleepOf, TIMERS } from "./timers.ts";
import { staticText, translate } from "./text.ts";
import type { JmxElement } from "./xml.ts";

export type Step = Record<string, unknown>;

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

export class FlowBuilder {
  readonly requests: Built[] = [];

  constructor(readonly ctx: JmxContext) {}

  /** The steps of a controller's children under `parent` scope. */
  steps(children: readonly JmxElement[], parentAt: Located, parent: Scope): Step[] {
    const scope = this.scope(children, parentAt, parent);
    const steps: Step[] = [];
    for (const el of children) if (isEnabled(el) && shortClass(el) === "CounterConfig") steps.push(...counterSteps(locate(el, parentAt), this.ctx));
    for (const el of children) {
      const at = locate(el, parentAt);
      if (!isEnabled(el)) continue; // noted by `scope`
      const role = roleOf(el);
      if (role === "sampler") steps.push(...this.sampler(at, scope));
      else if (role === "controller") steps.push(...controllerSteps(this, at, scope));
      else if (role === "group") this.ctx.dropped(at, "a thread group inside another element is not run by JMeter");
    }
    return steps;
  }

  /** The scope of a level: the parent's plus the level's scoped elements (noting every element of the level once). */
  scope(children: readonly JmxElement[], parentAt: Located, parent: Scope): Scope {
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


}

export type { Scope };
