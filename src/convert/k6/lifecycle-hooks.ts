// A k6 script's `setup` and `teardown` → async hooks of the generated module, with k6/http over
// ctx.http.request and every request and sleep awaited.
import type { Node } from "acorn";
import { full } from "acorn-walk";
import type { K6Context, Scope } from "./context.ts";
import { hookCode } from "./hook-code.ts";
import { httpFunction } from "./http.ts";
import { HTTP_SHIM, SETUP_K6_SHIM } from "./shims.ts";
import type { FunctionLike } from "./values.ts";

type AnyNode = Node & Record<string, any>;

/**
 * `export function setup()` / `teardown(data)` → async hooks with k6/http over ctx.http.request,
 * each call awaited. A setup that returns something other than an object literal is wrapped so
 * that the plan reads its result as `${setup.value}`; returns which shape the flow sees.
 */
export function lifecycleHook(kind: "setup" | "teardown", fn: FunctionLike, scope: Scope, cx: K6Context): "object" | "value" | undefined {
  const body: AnyNode = fn.body;
  if (body.type !== "BlockStatement") {
    cx.note("dropped", kind, fn, "an expression-bodied function");
    return undefined;
  }
  let returnsObject = true;
  full(body, (n: AnyNode) => {
    if (n.type === "ReturnStatement" && !insideInnerFunction(body, n) && n.argument?.type !== "ObjectExpression") returnsObject = false;
  });
  const httpNames = new Set<string>();
  const k6Names = new Set<string>();
  const awaits: number[] = [];
  let nested = 0;
  // Requests and sleeps of the body itself are awaited; those inside callbacks are counted.
  full(body, (n: AnyNode) => {
    if (n.type !== "CallExpression") return;
    const isHttp = httpFunction(n, scope) !== undefined;
    const callee = n.callee.type === "Identifier" ? scope.get(n.callee.name)?.value : undefined;
    const isSleep = callee?.kind === "import" && callee.module === "k6" && callee.name === "sleep";
    if (!isHttp && !isSleep) return;
    if (insideInnerFunction(body, n)) nested++;
    else awaits.push(n.start);
  });
  for (const [name, binding] of allImports(scope)) {
    if (binding.module === "k6/http") httpNames.add(name);
    if (binding.module === "k6") k6Names.add(name);
  }
  const code = hookCode([body], scope, cx, [], new Set([...httpNames, ...k6Names]));
  let text = cx.source.slice(body.start + 1, body.end - 1);
  for (const at of awaits.sort((a, b) => b - a)) {
    const offset = at - body.start - 1;
    text = `${text.slice(0, offset)}await ${text.slice(offset)}`;
  }
  cx.hooks.helper("k6http", HTTP_SHIM);
  cx.hooks.helper("k6checks", SETUP_K6_SHIM);
  const prelude = [
    ...[...httpNames].map((n) => {
      const v = scope.get(n)!.value as { name: string };
      return v.name === "*" ? `const ${n} = k6http(ctx);` : `const ${n} = k6http(ctx)[${JSON.stringify(v.name === "del" ? "del" : v.name)}];`;
    }),
    ...[...k6Names].filter((n) => ["check", "sleep"].includes((scope.get(n)!.value as { name: string }).name)).map((n) => `const ${n} = k6checks()[${JSON.stringify((scope.get(n)!.value as { name: string }).name)}];`),
    ...code.prelude,
  ];
  const param: AnyNode | undefined = fn.params[0];
  const params = kind === "setup" ? "ctx" : `ctx, ${param?.type === "Identifier" ? param.name : "data"}`;
  const original = `${prelude.map((l) => `  ${l}`).join("\n")}\n${trimBlankLines(text)}`;
  const wrapped = kind === "setup" && !returnsObject;
  if (wrapped) {
    cx.hooks.add({ name: "k6setup", from: `${cx.at(fn)}  setup() as written`, params, async: true, body: original });
    cx.hooks.add({
      name: "setup",
      from: `${cx.at(fn)}  setup(): its result as { value } when it is not an object, read in the plan as \${setup.value}`,
      params,
      async: true,
      body: "  const data = await k6setup(ctx);\n  return data !== null && typeof data === \"object\" && !Array.isArray(data) ? data : { value: data };",
    });
  } else {
    cx.hooks.add({ name: kind, from: `${cx.at(fn)}  ${kind}()`, params, async: true, body: original });
  }
  const detail = [`export async function ${kind}(ctx) over ctx.http.request`];
  if (kind === "setup") detail.push(wrapped ? "its result reaches the flow as ${setup.value}" : "its result reaches the flow as ${setup.KEY}");
  if (nested > 0) detail.push(`${nested} request(s) inside callbacks are not awaited: check them`);
  if (code.missing.length > 0) detail.push(`it reads ${code.missing.join("; ")}`);
  cx.note(code.missing.length > 0 ? "dropped" : "hook", `${kind}()`, fn, detail.join("; "));
  return wrapped ? "value" : "object";
}

/** Drops blank lines at the start and end of a function body's text (no other change). */
function trimBlankLines(text: string): string {
  const lines = text.split("\n");
  while (lines.length > 0 && lines[0]!.trim() === "") lines.shift();
  while (lines.length > 0 && lines.at(-1)!.trim() === "") lines.pop();
  return lines.join("\n");
}

function insideInnerFunction(root: AnyNode, target: AnyNode): boolean {
  let inside = false;
  full(root, (n: AnyNode) => {
    if (inside || n === root) return;
    if ((n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression" || n.type === "FunctionDeclaration") && n.start <= target.start && target.end <= n.end) inside = true;
  });
  return inside;
}

function allImports(scope: Scope): Array<[string, { module: string; name: string }]> {
  return scope.entries().flatMap(([name, b]) => (b.value?.kind === "import" ? [[name, { module: b.value.module, name: b.value.name }] as [string, { module: string; name: string }]] : []));
}
