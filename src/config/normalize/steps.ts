// A scenario's `flow:` → Step[]. Each step is a map whose kind is its first known key.
import type { Path } from "../issues.ts";
import type { Step, Template } from "../plan.ts";
import { compileCondition } from "../conditions.ts";
import { arr, isRecord, ms, num, rec, str, template, templateContext, type Env, type NormalizeContext } from "./context.ts";
import { normalizeRequest, VARIABLE_NAME, type RequestDefaults } from "./request.ts";

export const DEFAULT_LOOP_MAX = 1000;

export interface FlowContext {
  ctx: NormalizeContext;
  env: Env;
  defaults: RequestDefaults;
}

export function normalizeFlow(raw: unknown, path: Path, fc: FlowContext): Step[] {
  return arr(raw).flatMap((step, i) => normalizeStep(step, [...path, i], fc) ?? []);
}

function normalizeStep(raw: unknown, path: Path, fc: FlowContext): Step | undefined {
  if (!isRecord(raw)) return undefined;
  const { ctx, env } = fc;
  const loc = ctx.issues.locate(path);
  if ("request" in raw) {
    return { kind: "request", request: normalizeRequest(raw.request, [...path, "request"], ctx, env, fc.defaults), loc };
  }
  if ("sleep" in raw) {
    const sleep = raw.sleep;
    if (isRecord(sleep)) {
      const min = ms(sleep.min, 0);
      const max = ms(sleep.max, min);
      if (min > max) ctx.issues.error([...path, "sleep"], `min ${str(sleep.min)} is greater than max ${str(sleep.max)}`);
      return { kind: "sleep", min, max, loc };
    }
    const d = ms(sleep, 0);
    return { kind: "sleep", min: d, max: d, loc };
  }
  if ("group" in raw) {
    return { kind: "group", name: str(raw.group) ?? "", steps: normalizeFlow(raw.steps, [...path, "steps"], fc), loc };
  }
  if ("loop" in raw) {
    const loop = rec(raw.loop);
    const steps = normalizeFlow(raw.steps, [...path, "steps"], fc);
    const at = [...path, "loop"];
    if (loop.count !== undefined && loop.while !== undefined) {
      ctx.issues.error(at, "a loop takes count: or while:, not both");
    } else if (loop.count === undefined && loop.while === undefined && isRecord(raw.loop)) {
      ctx.issues.error(at, "a loop needs count: N or while: CONDITION", { hint: 'e.g. loop: { while: "${vars.next} != \'\'", max: 100 }' });
    }
    if (loop.count !== undefined) {
      if (loop.max !== undefined) ctx.issues.error([...at, "max"], "max: applies to while: loops; a count: loop runs count times", { at: "key" });
      const count = num(loop.count, 0);
      return { kind: "loop", count, maxIterations: count, steps, loc };
    }
    const condition = typeof loop.while === "string" ? compileCondition(loop.while, templateContext(ctx, [...at, "while"], env)) : undefined;
    return { kind: "loop", ...(condition ? { while: condition } : {}), maxIterations: num(loop.max, DEFAULT_LOOP_MAX), steps, loc };
  }
  if ("if" in raw) {
    const source = str(raw.if) ?? "";
    return {
      kind: "if",
      condition: compileCondition(source, templateContext(ctx, [...path, "if"], env)),
      then: normalizeFlow(raw.then, [...path, "then"], fc),
      else: normalizeFlow(raw.else, [...path, "else"], fc),
      loc,
    };
  }
  if ("set" in raw) {
    const vars: Array<[string, Template]> = [];
    for (const [name, value] of Object.entries(rec(raw.set))) {
      if (!VARIABLE_NAME.test(name)) {
        ctx.issues.error([...path, "set", name], `"${name}" is not a variable name (letters, digits, _ and -; not starting with a digit)`, { at: "key" });
      }
      vars.push([name, template(ctx, value, [...path, "set", name], env)]);
    }
    return { kind: "set", vars, loc };
  }
  return undefined;
}
