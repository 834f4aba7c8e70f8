// Logic controllers → control steps (src/core/flow/steps/), and the Counter config element.
// Pure; called by the flow walk (flow.ts) for each controller in order.
//
// Loop → `loop: { count }` (a count computed at run time: a counter loop); While → `loop: {
// while, max }`; If → `if:`; Transaction → `group:`; Once Only → `if: "${iteration == 0}"`;
// Simple/Recording → their steps in place; Throughput (percent) → `if: randomInt(1, 10000) <=
// P×100`; Random → one child picked by `randomInt`; Critical Section, Random Order, Runtime →
// their steps in place (noted). Conditions (If, While) go through condition.ts: a loadr
// expression when the JavaScript has one, else a hook that computes it.
import { translateJs, hookSource, Unmapped, unwrap } from "./condition.ts";
import type { JmxContext, Located } from "./context.ts";
import type { FlowBuilder, Scope, Step } from "./flow.ts";
import { roleOf } from "./roles.ts";
import { kindName, label, shortClass } from "./labels.ts";
import { bool, isEnabled, str } from "./props.ts";
import { readReference, staticText, toExpression, translate, varName } from "./text.ts";
import type { JmxElement } from "./xml.ts";

/** Iterations of a While Controller (JMeter's are unbounded; loadr's `max:` bounds them). */
export const WHILE_MAX = 1000;

export function controllerSteps(b: FlowBuilder, at: Located, parent: Scope): Step[] {
  const { el } = at;
  const cls = shortClass(el);
  const body = () => b.steps(el.children, at, parent);
  switch (cls) {
    case "GenericController":
    case "RecordingController":
      b.ctx.mapped(at, "its steps in place");
      return body();
    case "TransactionController": {
      const steps = body();
      b.ctx.mapped(at, `group "${el.attrs.testname ?? ""}"`);
      return steps.length > 0 ? [{ group: el.attrs.testname || label(el), steps }] : [];
    }
    case "OnceOnlyController": {
      const steps = body();
      b.ctx.mapped(at, "runs on each VU's first iteration");
      return steps.length > 0 ? [{ if: "${iteration == 0}", then: steps }] : [];
    }
    case "LoopController":
      return loop(b, at, body());
    case "IfController":
      return ifController(b, at, body());
    case "WhileController":
      return whileController(b, at, body());
    case "ThroughputController": {
      const steps = body();
      const percentMode = str(el, "ThroughputController.style", "1").trim() === "1";
      const percent = Number(str(el, "ThroughputController.percentThroughput", "").trim() || (el.props.find((p) => p.name === "ThroughputController.percentThroughput")?.props[0]?.text ?? "100"));
      if (!percentMode || !Number.isFinite(percent)) {
        b.ctx.dropped(at, "the total-executions mode is not mapped: its steps run every time");
        return steps;
      }
      b.ctx.mapped(at, `runs with probability ${percent}% (JMeter interleaves exactly ${percent}%)`);
      return steps.length > 0 ? [{ if: `\${randomInt(1, 10000) <= ${Math.round(percent * 100)}}`, then: steps }] : [];
    }
    case "RandomController": {
      const options = el.children.filter((c) => isEnabled(c) && (roleOf(c) === "sampler" || roleOf(c) === "controller"));
      const scope = b.scope(el.children.filter((c) => !options.includes(c)), at, parent);
      const pick = varName(`random_${b.ctx.hookName(el.attrs.testname || "random")}`);
      const branches = options.map((c, i) => ({ if: `\${vars.${pick} == ${i + 1}}`, then: b.steps([c], at, scope) })).filter((b) => b.then.length > 0);
      b.ctx.mapped(at, "one child, picked at random each time");
      return branches.length > 0 ? [{ set: { [pick]: `\${randomInt(1, ${options.length})}` } }, ...branches] : [];
    }
    case "CriticalSectionController":
    case "RandomOrderController":
    case "RunTime": {
      const steps = body();
      const why = cls === "CriticalSectionController" ? "no lock across VUs" : cls === "RandomOrderController" ? "in the order written, not shuffled" : "once, not repeated for its run time";
      b.ctx.dropped(at, `its steps run in place: ${why}`);
      return steps;
    }
    default: {
      const samplers = countSamplers(el);
      b.ctx.dropped(at, `${kindName(el)} is not mapped: its ${samplers} sampler${samplers === 1 ? "" : "s"} ${samplers === 1 ? "is" : "are"} left out`);
      return [];
    }
  }
}



function loop(b: FlowBuilder, at: Located, steps: Step[]): Step[] {
  const { el } = at;
  const raw = str(el, "LoopController.loops", "1").trim();
  if (steps.length === 0) return [];
  // A Loop Controller saves continue_forever=true for "run again next time"; -1 is forever.
  if (raw === "-1") {
    b.ctx.dropped(at, `loops forever in JMeter: bounded to ${WHILE_MAX} iterations`);
    return [{ loop: { while: "${true}", max: WHILE_MAX }, steps }];
  }
  const parts = translate(raw, b.ctx.runtime(at));
  const text = staticText(parts);
  const count = text === undefined || parts.some((p) => p.kind === "env") ? Number.NaN : Number(text);
  if (Number.isInteger(count) && count >= 0) {
    b.ctx.mapped(at);
    return [{ loop: { count }, steps }];
  }
  // A count known only at run time: a counter loop.
  const counter = varName(`loop_${b.ctx.hookName(el.attrs.testname || "loop")}`);
  b.ctx.mapped(at, `a counter loop (vars.${counter}) over the count ${raw}`);
  return [
    { set: { [counter]: 0 } },
    { loop: { while: `\${vars.${counter} < int(${toExpression(parts)})}`, max: 100000 }, steps: [...steps, { set: { [counter]: `\${vars.${counter} + 1}` } }] },
  ];
}

function ifController(b: FlowBuilder, at: Located, steps: Step[]): Step[] {
  const { el } = at;
  if (steps.length === 0) return [];
  const condition = str(el, "IfController.condition").trim();
  if (bool(el, "IfController.evaluateAll")) b.ctx.dropped(at, '"evaluate for all children" is not mapped: the condition is tested once, before the children', "If Controller: evaluate for all children");
  const mapped = conditionOf(b, at, condition, bool(el, "IfController.useExpression") ? "expression" : "javascript");
  if (mapped.kind === "expr") {
    b.ctx.mapped(at);
    return [{ if: `\${${mapped.code}}`, then: steps }];
  }
  if (mapped.kind === "hook") return [{ js: mapped.hook }, { if: `\${vars.${mapped.variable}}`, then: steps }];
  b.ctx.dropped(at, `the condition ${condition} is not mapped (${mapped.reason}): its steps run every time`);
  return steps;
}

function whileController(b: FlowBuilder, at: Located, steps: Step[]): Step[] {
  const { el } = at;
  if (steps.length === 0) return [];
  const condition = str(el, "WhileController.condition").trim();
  if (condition === "" || condition.toUpperCase() === "LAST") {
    b.ctx.dropped(at, "looping until a sampler fails is not mapped: its steps run once");
    return steps;
  }
  const mapped = conditionOf(b, at, condition, "while");
  if (mapped.kind === "expr") {
    b.ctx.mapped(at, `bounded to ${WHILE_MAX} iterations (loadr's max:)`);
    return [{ loop: { while: `\${${mapped.code}}`, max: WHILE_MAX }, steps }];
  }
  if (mapped.kind === "hook") {
    return [{ js: mapped.hook }, { loop: { while: `\${vars.${mapped.variable}}`, max: WHILE_MAX }, steps: [...steps, { js: mapped.hook }] }];
  }
  b.ctx.dropped(at, `the condition ${condition} is not mapped (${mapped.reason}): its steps run once`);
  return steps;
}

/**
 * A condition as a loadr expression, a hook computing it, or the reason for neither.
 * "javascript": the text is JavaScript after substitution (If Controller default).
 * "expression": the If Controller's "interpret as variable expression": true when the text is "true".
 * "while": the While Controller's: true while the text is not "false".
 */
function conditionOf(
  b: FlowBuilder,
  at: Located,
  text: string,
  mode: "javascript" | "expression" | "while",
): { kind: "expr"; code: string } | { kind: "hook"; hook: string; variable: string } | { kind: "none"; reason: string } {
  const ctx = b.ctx.runtime(at);
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
      return conditionHook(b, at, js, error.message);
    }
  }
  const value = toExpression(translate(text, ctx));
  return { kind: "expr", code: mode === "while" ? `lower(${value}) != 'false'` : `lower(${value}) == 'true'` };
}

function conditionHook(b: FlowBuilder, at: Located, js: string, reason: string): { kind: "hook"; hook: string; variable: string } {
  const name = b.ctx.hookName(`${at.el.attrs.testname || label(at.el)} condition`);
  const variable = varName(name);
  const code = hookSource(js, b.ctx.runtime(at));
  b.ctx.hooks.push({
    name,
    source: [
      `// ${b.ctx.where(at)}`,
      `// JMeter condition: ${js.replace(/\n/g, " ")}`,
      `export function ${name}(loadr) {`,
      ...(code.includes("v(") ? ['  const v = (name) => (loadr.vars[name] == null ? "" : String(loadr.vars[name]));'] : []),
      `  return { ${variable}: Boolean(${code}) };`,
      "}",
    ].join("\n"),
  });
  b.ctx.hook(at, `the condition is JavaScript loadr's expressions do not cover (${reason}): the hook ${name} computes vars.${variable}`);
  return { kind: "hook", hook: name, variable };
}

/**
 * Counter (`CounterConfig.name`, `.start`, `.incr`, `.per_user`): each VU's own counter, one
 * step per pass of its level — start on the first, then + increment. A counter shared by all
 * threads, an end (wrap-around) or a number format is not mapped.
 */
export function counterSteps(at: Located, ctx: JmxContext): Step[] {
  const { el } = at;
  const name = varName(str(el, "CounterConfig.name").trim() || "counter");
  const start = Number(str(el, "CounterConfig.start", "0").trim() || "0");
  const incr = Number(str(el, "CounterConfig.incr", "1").trim() || "1");
  if (!Number.isFinite(start) || !Number.isFinite(incr)) {
    ctx.dropped(at, "its start or increment is not a number known before the run");
    return [];
  }
  const unmapped = [
    ...(bool(el, "CounterConfig.per_user") ? [] : ["one counter shared by all threads (each VU counts on its own)"]),
    ...(str(el, "CounterConfig.end").trim() !== "" ? [`the end ${str(el, "CounterConfig.end").trim()} (it does not wrap around)`] : []),
    ...(str(el, "CounterConfig.format").trim() !== "" ? [`the format ${str(el, "CounterConfig.format").trim()}`] : []),
  ];
  if (unmapped.length > 0) ctx.dropped(at, `not mapped: ${unmapped.join("; ")}`, "Counter options");
  ctx.mapped(at, `vars.${name}: ${start} on each VU's first pass, then + ${incr}`);
  return [
    { if: `\${vars.${name} == null}`, then: [{ set: { [name]: start - incr } }] },
    { set: { [name]: `\${vars.${name} + ${incr}}` } },
  ];
}

function countSamplers(el: JmxElement): number {
  return el.children.reduce((n, c) => n + (roleOf(c) === "sampler" ? 1 : 0) + countSamplers(c), 0);
}
