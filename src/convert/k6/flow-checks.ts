// k6's `check(subject, { name: predicate })` → the `checks` of the request step whose response the
// subject is: a predicate loadr can express becomes a declarative check (checks.ts), any other
// one a js check running the predicate's original code on that response.
import type { Node } from "acorn";
import type { K6Context, Scope } from "./context.ts";
import { checkOf } from "./checks.ts";
import { hookCode, referencedNames } from "./hook-code.ts";
import { httpFunction, requestSteps } from "./http.ts";
import { K6_RESPONSE_SHIM } from "./shims.ts";
import type { RequestStep, Value } from "./values.ts";

type AnyNode = Node & Record<string, any>;
type Step = Record<string, unknown>;

/** The steps a `check(…)` call leaves in the flow: none, or the request it was written around (`check(http.get(…), …)`). */
export function checkSteps(e: AnyNode, scope: Scope, cx: K6Context): Step[] {
  const [subject, map] = e.arguments as AnyNode[];
  if (map?.type !== "ObjectExpression") {
    cx.note("dropped", `check(${subject ? cx.snippet(subject, 30) : ""}, …)`, e, "its predicates are not an object literal");
    return [];
  }
  const target = subject ? responseStep(subject, scope, cx) : undefined;
  // A subject computed from one response (`res.json()`, `JSON.parse(res.body)`): js checks on it.
  const derived = !target && subject ? singleResponse([subject], scope) : undefined;
  for (const prop of map.properties as AnyNode[]) {
    if (prop.type !== "Property") continue;
    const name = prop.key.type === "Literal" ? String(prop.key.value) : prop.key.type === "Identifier" && !prop.computed ? prop.key.name : undefined;
    const fn: AnyNode = prop.value;
    // `() => res.status === 200`: a predicate that reads a response by its name.
    const named = !target && !derived && (fn.type === "ArrowFunctionExpression" || fn.type === "FunctionExpression") && fn.params.length === 0 ? singleResponse([fn], scope) : undefined;
    const step = target?.step ?? derived?.step ?? named?.step;
    if (!step) {
      cx.note("dropped", `check ${JSON.stringify(name ?? "")}`, prop, `it asserts on ${subject ? cx.snippet(subject, 30) : "nothing"}, not on a response loadr can attach it to`);
      continue;
    }
    // `check(res, { ok: () => res.status === 200 })`: the predicate reads the subject by its name.
    const byName = target && fn.params?.length === 0 && subject!.type === "Identifier" ? (subject!.name as string) : named?.name;
    const mapped = target || named ? checkOf(fn, scope, cx, byName) : undefined;
    const checks = ((step.request.checks as unknown[] | undefined) ?? []) as Record<string, unknown>[];
    if (mapped) {
      checks.push(name !== undefined ? { ...mapped, name } : mapped);
      cx.note("mapped", `check ${JSON.stringify(name ?? "")}`, prop, undefined);
    } else {
      const call = target && byName === undefined ? "predicate(k6response(response))" : derived ? `predicate(${cx.code(subject!)})` : "predicate()";
      const hook = checkHook(prop, name, scope, cx, call, derived?.name ?? byName);
      if (hook) checks.push(hook);
    }
    if (checks.length > 0) step.request.checks = checks;
  }
  if (e.arguments[2]) cx.note("dropped", "check tags", e.arguments[2], "loadr check names are their tags");
  return target?.extra ?? [];
}

/** The one response binding `nodes` read, when they read exactly one. */
function singleResponse(nodes: AnyNode[], scope: Scope): { name: string; step: RequestStep } | undefined {
  const found = referencedNames(nodes).flatMap((n) => {
    const v = scope.get(n)?.value;
    return v?.kind === "response" ? [{ name: n, step: v.step }] : [];
  });
  return found.length === 1 ? found[0] : undefined;
}

/** The request step whose response `node` is: a response binding, or an http call right here. */
function responseStep(node: AnyNode, scope: Scope, cx: K6Context): { step: RequestStep; extra: Step[] } | undefined {
  const value: Value | undefined = node.type === "Identifier" ? scope.get(node.name)?.value : undefined;
  if (value?.kind === "response") return { step: value.step, extra: [] };
  const fn = httpFunction(node, scope);
  if (fn && fn !== "batch") {
    const steps = requestSteps(node, fn, scope, cx);
    if (steps) return { step: steps.at(-1)!, extra: steps };
  }
  return undefined;
}

/** A js check running the predicate's original code; `call` applies it, `responseName` is bound to the response. */
function checkHook(prop: AnyNode, name: string | undefined, scope: Scope, cx: K6Context, call: string, responseName?: string): Record<string, unknown> | undefined {
  const fnNode: AnyNode = prop.value;
  const code = hookCode([fnNode], scope, cx, [], new Set(responseName ? [responseName] : []));
  if (code.missing.length > 0) {
    cx.note("dropped", `check ${JSON.stringify(name ?? "")}`, prop, `its predicate reads ${code.missing.join("; ")}`);
    return undefined;
  }
  const fnName = cx.hooks.uniqueName(`check_${name ?? `L${cx.line(prop)}`}`);
  cx.hooks.helper("k6response", K6_RESPONSE_SHIM);
  cx.hooks.add({
    name: fnName,
    from: `${cx.at(prop)}  check ${JSON.stringify(name ?? "")}`,
    params: "ctx, response",
    body: [
      ...(responseName ? [`  const ${responseName} = k6response(response);`] : []),
      ...code.prelude.map((l) => `  ${l}`),
      `  const predicate = ${cx.code(fnNode)};`,
      `  return Boolean(${call});`,
    ].join("\n"),
  });
  cx.note("hook", `check ${JSON.stringify(name ?? "")}`, prop, `js check ${fnName}`);
  return name !== undefined ? { js: fnName, name } : { js: fnName };
}
