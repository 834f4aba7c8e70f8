// Code of a k6 VU function that is not a step of its own → a js step calling a generated hook with
// the original code (hook-code.ts), or a js check on the one response it reads; code that sends
// requests is dropped with a note, as a hook cannot send them.
import type { Node } from "acorn";
import { full } from "acorn-walk";
import type { K6Context, Scope } from "./context.ts";
import { assignedOuterNames, hookCode, referencedNames, topLevelDeclared } from "./hook-code.ts";
import { httpFunction } from "./http.ts";
import { K6_RESPONSE_SHIM } from "./shims.ts";

type AnyNode = Node & Record<string, any>;
type Step = Record<string, unknown>;

/** `owner` names the hook functions (`default_L42`); `codeText`, when given, is the code instead of the nodes' source. */
export function hookSteps(nodes: AnyNode[], scope: Scope, cx: K6Context, owner: string, label: string, codeText?: string): Step[] {
  const first = nodes[0]!;
  const snippet = cx.snippet(first);
  if (nodes.some((n) => containsRequest(n, scope))) {
    cx.note("dropped", snippet, first, "it sends requests from code loadr cannot follow, and a hook cannot send requests");
    return [];
  }
  const declared = topLevelDeclared(nodes);
  const assigned = assignedOuterNames(nodes).filter((n) => scope.get(n) !== undefined);
  const returned = [...new Set([...declared, ...assigned])];
  const responses = referencedNames(nodes).flatMap((n) => {
    const v = scope.get(n)?.value;
    return v?.kind === "response" ? [[n, v.step] as const] : [];
  });
  // Code that reads one response and sets nothing (`waiting.add(res.timings.waiting)`): a js
  // check on that request sees the response, right after it.
  if (responses.length === 1 && returned.length === 0) {
    const [resName, step] = responses[0]!;
    const code = hookCode(nodes, scope, cx, [], new Set([resName]));
    if (code.missing.length === 0) {
      const fnName = cx.hooks.uniqueName(`${owner}_${label === "statement" ? "" : `${label}_`}L${cx.line(first)}`);
      cx.hooks.helper("k6response", K6_RESPONSE_SHIM);
      const body = [`  const ${resName} = k6response(response);`, ...code.prelude.map((l) => `  ${l}`), `  ${codeText ?? nodes.map((n) => cx.code(n)).join("\n")}`, "  return true;"].join("\n");
      cx.hooks.add({ name: fnName, from: `${cx.at(first)}  ${snippet}`, params: "ctx, response", body });
      step.request.checks = [...((step.request.checks as unknown[] | undefined) ?? []), { js: fnName, name: `${fnName} (code run on the response)` }];
      cx.note("hook", snippet, first, `js check ${fnName} on ${String(step.request.method)} ${String(step.request.url)}: it runs right after that response and counts as a passing check`);
      return [];
    }
  }
  const code = hookCode(nodes, scope, cx, assigned);
  if (code.missing.length > 0) {
    cx.note("dropped", snippet, first, `it reads ${code.missing.join("; ")}`);
    return [];
  }
  const fnName = cx.hooks.uniqueName(`${owner}_${label === "statement" ? "" : `${label}_`}L${cx.line(first)}`);
  const body = [
    ...code.prelude.map((l) => `  ${l}`),
    `  ${codeText ?? nodes.map((n) => cx.code(n)).join("\n")}`,
    ...(returned.length > 0 ? [`  return { ${returned.join(", ")} };`] : []),
  ].join("\n");
  cx.hooks.add({ name: fnName, from: `${cx.at(first)}  ${snippet}`, params: "ctx", body });
  for (const name of returned) scope.set(name, { value: undefined, variable: name });
  cx.note("hook", snippet, first, `js step ${fnName}${returned.length > 0 ? ` (sets ${returned.map((n) => `vars.${n}`).join(", ")})` : ""}`);
  return [{ js: fnName }];
}

/** Whether `node` contains a k6/http call (a hook cannot send it). */
export function containsRequest(node: Node, scope: Scope): boolean {
  let found = false;
  full(node, (n: AnyNode) => {
    if (!found && n.type === "CallExpression" && httpFunction(n, scope)) found = true;
  });
  return found;
}
