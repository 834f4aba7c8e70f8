// A k6 VU function's statements → loadr flow steps, in order: k6/http calls → `request`,
// `check` → the request's `checks`, `group` → `group`, `sleep` → `sleep`, response reads →
// `extract`, `if` over convertible conditions → `if`, counted `for` loops → `loop`, calls of the
// script's own functions inlined. Everything else becomes a `js` step calling a generated hook
// with the original code (hook-code.ts), or — when it sends requests or needs a response, which a
// hook cannot — is dropped with its position. Every decision is a note.
import type { Node } from "acorn";
import type { K6Context, Scope } from "./context.ts";
import { isMathRandom, propertyName, valueOf } from "./expressions.ts";
import { assignedOuterNames, hookCode } from "./hook-code.ts";
import { checkSteps } from "./flow-checks.ts";
import { containsRequest, hookSteps } from "./flow-hook.ts";
import { sleepSteps } from "./flow-sleep.ts";
import { httpFunction, requestSteps } from "./http.ts";
import { grpcCall, grpcConnect, grpcInvoke, grpcLoad } from "./grpc.ts";
import { extractionVariable, responseRead } from "./responses.ts";
import { exprOf, type FunctionLike } from "./values.ts";
import { full } from "acorn-walk";

type AnyNode = Node & Record<string, any>;
type Step = Record<string, unknown>;

/** How deep calls of the script's own functions are inlined. */
const MAX_INLINE_DEPTH = 8;
/** Deepest nesting of group/if/loop steps generated (the loader refuses plans past 128 YAML levels). */
const MAX_STEP_NESTING = 30;
/** Largest `for` count turned into a `loop` (beyond it the loop is surely computed data). */
const MAX_LOOP_COUNT = 1_000_000;

export class FlowConverter {
  private nesting = 0;

  constructor(
    private readonly cx: K6Context,
    /** Names hook functions: `default_L42`. */
    private readonly owner: string,
  ) {}

  /** The steps of a function body (its statements), in a new child scope. */
  body(fn: FunctionLike, scope: Scope): Step[] {
    const body: AnyNode = fn.body;
    if (body.type !== "BlockStatement") return this.statements([{ type: "ExpressionStatement", expression: body, start: body.start, end: body.end, loc: body.loc } as AnyNode], scope);
    return this.statements(body.body, scope);
  }

  statements(nodes: readonly AnyNode[], scope: Scope): Step[] {
    const steps: Step[] = [];
    for (const node of nodes) steps.push(...this.statement(node, scope));
    return steps;
  }

  /** `convert` one level deeper (a group's, a branch's or a loop's steps), or nothing past MAX_STEP_NESTING. */
  private nested(at: AnyNode, convert: () => Step[]): Step[] {
    if (this.nesting >= MAX_STEP_NESTING) {
      this.cx.note("dropped", this.cx.snippet(at), at, `nested deeper than ${MAX_STEP_NESTING} blocks of steps`);
      return [];
    }
    this.nesting++;
    try {
      return convert();
    } finally {
      this.nesting--;
    }
  }

  private statement(node: AnyNode, scope: Scope): Step[] {
    switch (node.type) {
      case "EmptyStatement":
        return [];
      case "BlockStatement":
        return this.statements(node.body, scope.child());
      case "VariableDeclaration":
        return this.declaration(node, scope);
      case "ExpressionStatement":
        return this.expressionStatement(node, scope);
      case "IfStatement":
        return this.ifStatement(node, scope);
      case "ForStatement":
        return this.forStatement(node, scope);
      case "FunctionDeclaration":
        scope.set(node.id.name, { value: { kind: "function", node: node as FunctionLike, name: node.id.name } });
        return [];
      case "ReturnStatement":
        // An inlined function's return: where its value is used, the call site says it is not kept.
        if (node.argument && this.cx.inlining.length === 0) this.cx.note("dropped", `return ${this.cx.snippet(node.argument, 40)}`, node, "a flow has no return value");
        return [];
      case "TryStatement": {
        const steps = this.statements(node.block.body, scope.child());
        if (node.handler) this.cx.note("dropped", "catch block", node.handler, "loadr records a failed step and goes on; the catch code does not run");
        if (node.finalizer) steps.push(...this.statements(node.finalizer.body, scope.child()));
        return steps;
      }
      default:
        return this.hook([node], scope, "statement");
    }
  }

  private declaration(node: AnyNode, scope: Scope): Step[] {
    const steps: Step[] = [];
    for (const d of node.declarations as AnyNode[]) {
      const init: AnyNode | null = d.init;
      if (d.id.type !== "Identifier") {
        steps.push(...this.hook([{ ...node, declarations: [d], start: d.start, end: d.end } as AnyNode], scope, "destructuring", `${node.kind} ${this.cx.code(d)};`));
        continue;
      }
      const name: string = d.id.name;
      if (!init) {
        scope.set(name, { value: undefined });
        continue;
      }
      const grpc = grpcCall(init, scope);
      if (grpc?.method === "invoke") {
        const call = grpcInvoke(init, grpc.client, scope, this.cx);
        if (call) {
          steps.push(call.step);
          scope.set(name, { value: { kind: "response", step: call.response, name } });
          continue;
        }
        this.cx.note("dropped", this.cx.snippet(init), init, "a gRPC call whose method, message or params are computed in code, or made before client.load/connect");
        scope.set(name, { value: undefined });
        continue;
      }
      const fn = httpFunction(init, scope);
      if (fn === "cookieJar") {
        this.cx.note("mapped", "http.cookieJar()", init, "every VU has its own cookie jar in loadr, filled by the responses");
        scope.set(name, { value: { kind: "import", module: "k6/http", name: "jar" } });
        continue;
      }
      if (fn) {
        const requests = requestSteps(init, fn, scope, this.cx);
        if (!requests) {
          this.dropRequest(init);
          scope.set(name, { value: undefined });
          continue;
        }
        steps.push(...requests);
        const last = requests.at(-1)!;
        scope.set(name, { value: fn === "batch" ? undefined : { kind: "response", step: last, name } });
        if (fn === "batch") this.cx.note("mapped", "http.batch", init, "its requests run one after another (loadr has no parallel batch); the responses array is not kept");
        continue;
      }
      const special = this.k6Call(init, scope);
      if (special) {
        steps.push(...special);
        scope.set(name, { value: undefined, unknown: "the result of a k6 call, which loadr does not keep" });
        continue;
      }
      const called = init.type === "CallExpression" && init.callee.type === "Identifier" ? scope.get(init.callee.name)?.value : undefined;
      if (called?.kind === "function" && containsRequest(called.node, scope)) {
        steps.push(...this.inline(called.node, called.name, init, scope));
        this.cx.note("dropped", `the value of ${this.cx.snippet(init, 40)} as ${name}`, d, "the function's requests are inlined; what it returns is not kept");
        scope.set(name, { value: undefined });
        continue;
      }
      const read = responseRead(init, scope, this.cx, (n) => valueOf(n, scope, this.cx));
      if (read) {
        const variable = extractionVariable(read, this.cx, name);
        if (variable !== undefined) {
          scope.set(name, { value: undefined, variable });
          this.cx.note("mapped", `${name} = ${this.cx.snippet(init, 50)}`, d, `extract ${variable}`);
          continue;
        }
      }
      const row = this.rowOf(init, scope);
      if (row) {
        scope.set(name, { value: { kind: "row", feed: row } });
        continue;
      }
      const value = valueOf(init, scope, this.cx);
      if (value) {
        scope.set(name, { value, init });
        continue;
      }
      const fnValue = init.type === "ArrowFunctionExpression" || init.type === "FunctionExpression" ? init : undefined;
      if (fnValue) {
        scope.set(name, { value: { kind: "function", node: fnValue as FunctionLike, name } });
        continue;
      }
      steps.push(...this.hook([{ ...node, declarations: [d], start: d.start, end: d.end } as AnyNode], scope, name, `${node.kind} ${this.cx.code(d)};`));
    }
    return steps;
  }

  /** `users[__VU - 1]`, `users[Math.floor(Math.random() * users.length)]` …: a row of a feed (its mode set by how it is picked). */
  private rowOf(node: AnyNode, scope: Scope): string | undefined {
    if (node.type !== "MemberExpression" || !node.computed) return undefined;
    const feed = node.object.type === "Identifier" ? scope.get(node.object.name)?.value : undefined;
    if (feed?.kind !== "feed") return undefined;
    const index: AnyNode = node.property;
    let random = false;
    let vu = false;
    let iter = false;
    full(index, (n: AnyNode) => {
      if (isMathRandom(n)) random = true;
      if (n.type === "Identifier" && n.name === "__VU") vu = true;
      if (n.type === "Identifier" && n.name === "__ITER") iter = true;
      if (n.type === "MemberExpression" && /^iteration/.test(propertyName(n) ?? "")) iter = true;
    });
    const mode = random ? "random" : vu ? "unique" : iter ? "sequential" : undefined;
    if (!mode) return undefined;
    const entry = this.cx.feeds.get(feed.feed);
    if (entry && entry.mode === undefined) entry.mode = mode;
    const detail =
      mode === "unique"
        ? "mode: unique (row vu − 1 for each VU, wrapping)"
        : mode === "random"
          ? "mode: random (a random row each iteration)"
          : "mode: sequential (the next row each iteration, shared by the VUs)";
    this.cx.note("mapped", `${this.cx.snippet(node, 50)}`, node, detail);
    return feed.feed;
  }

  private expressionStatement(node: AnyNode, scope: Scope): Step[] {
    const e: AnyNode = node.expression;
    const grpc = grpcCall(e, scope);
    if (grpc) {
      if (grpc.method === "connect" && grpcConnect(e, grpc.client, scope, this.cx)) return [];
      if (grpc.method === "load" && grpcLoad(e, grpc.client, scope, this.cx)) return [];
      if (grpc.method === "close") return [];
      if (grpc.method === "invoke") {
        const call = grpcInvoke(e, grpc.client, scope, this.cx);
        if (call) return [call.step];
      }
      this.cx.note("dropped", this.cx.snippet(e), e, `client.${grpc.method}: only load, connect, invoke (unary) and close are mapped`);
      return [];
    }
    const fn = httpFunction(e, scope);
    if (fn === "cookieJar" || fn === "setResponseCallback") {
      this.cx.note(fn === "cookieJar" ? "mapped" : "dropped", `http.${fn}(…)`, e, fn === "cookieJar" ? "every VU has its own cookie jar in loadr" : "loadr counts a request as failed by its status (>= 400) or a network error; use checks");
      return [];
    }
    if (e.type === "CallExpression" && e.callee.type === "MemberExpression" && e.callee.object.type === "Identifier") {
      const jar = scope.get(e.callee.object.name)?.value;
      if (jar?.kind === "import" && jar.name === "jar") {
        this.cx.note("dropped", this.cx.snippet(e), e, "loadr's cookie jar is filled by responses only; send a Cookie header on the request instead");
        return [];
      }
    }
    if (fn) {
      const requests = requestSteps(e, fn, scope, this.cx);
      if (requests) {
        if (fn === "batch") this.cx.note("mapped", "http.batch", e, "its requests run one after another (loadr has no parallel batch)");
        return requests;
      }
      this.dropRequest(e);
      return [];
    }
    const special = this.callStatement(e, scope);
    if (special) return special;
    if (e.type === "AssignmentExpression" && e.operator === "=" && e.left.type === "Identifier") {
      const binding = scope.get(e.left.name);
      const read = responseRead(e.right, scope, this.cx, (n) => valueOf(n, scope, this.cx));
      if (binding && read && binding.variable === undefined) {
        const variable = extractionVariable(read, this.cx, e.left.name);
        if (variable !== undefined) {
          scope.set(e.left.name, { value: undefined, variable });
          this.cx.note("mapped", this.cx.snippet(e, 60), node, `extract ${variable}`);
          return [];
        }
      }
      const fnName = httpFunction(e.right, scope);
      if (binding && fnName && fnName !== "batch") {
        const requests = requestSteps(e.right, fnName, scope, this.cx);
        if (requests) {
          scope.set(e.left.name, { value: { kind: "response", step: requests.at(-1)!, name: e.left.name } });
          return requests;
        }
      }
    }
    return this.hook([node], scope, "statement");
  }

  /** check/group/sleep/a metric's add/a call of the script's own function; undefined when `e` is none of them. */
  private callStatement(e: AnyNode, scope: Scope): Step[] | undefined {
    const k6 = this.k6Call(e, scope);
    if (k6 || e.type !== "CallExpression") return k6;
    const callee: AnyNode = e.callee;
    if (callee.type === "MemberExpression" && propertyName(callee) === "add") {
      const metric = callee.object.type === "Identifier" ? scope.get(callee.object.name)?.value : undefined;
      if (metric?.kind === "metric") return this.hook([{ type: "ExpressionStatement", expression: e, start: e.start, end: e.end, loc: e.loc } as AnyNode], scope, metric.metric);
    }
    const imported = callee.type === "Identifier" ? scope.get(callee.name)?.value : undefined;
    if (imported?.kind === "function") return this.inline(imported.node, imported.name, e, scope);
    return undefined;
  }

  /** check/group/sleep/fail of the k6 module; undefined for any other expression. */
  private k6Call(e: AnyNode, scope: Scope): Step[] | undefined {
    if (e.type !== "CallExpression") return undefined;
    const callee: AnyNode = e.callee;
    const imported = callee.type === "Identifier" ? scope.get(callee.name)?.value : undefined;
    const k6 = imported?.kind === "import" && imported.module === "k6" ? imported.name : undefined;
    if (k6 === "check") return checkSteps(e, scope, this.cx);
    if (k6 === "group") return this.group(e, scope);
    if (k6 === "sleep") return sleepSteps(e, scope, this.cx);
    if (k6 === "fail") {
      this.cx.note("dropped", `fail(${this.cx.snippet(e.arguments[0] ?? e, 40)})`, e, "loadr has no step that fails the iteration on purpose; use a check");
      return [];
    }
    return undefined;
  }

  private group(e: AnyNode, scope: Scope): Step[] {
    const [nameNode, fn] = e.arguments as AnyNode[];
    const name = nameNode ? valueOf(nameNode, scope, this.cx) : undefined;
    if (name?.kind !== "text" || name.template.includes("${") || !fn || (fn.type !== "ArrowFunctionExpression" && fn.type !== "FunctionExpression")) {
      return this.hook([{ type: "ExpressionStatement", expression: e, start: e.start, end: e.end, loc: e.loc } as AnyNode], scope, "group");
    }
    this.cx.note("mapped", `group ${JSON.stringify(name.template)}`, e);
    const steps = this.nested(fn, () => this.body(fn as FunctionLike, scope.child()));
    return [{ group: name.template, steps: steps.length > 0 ? steps : [{ sleep: "0s" }] }];
  }

  private ifStatement(node: AnyNode, scope: Scope): Step[] {
    const test: AnyNode = node.test.type === "UnaryExpression" && node.test.operator === "!" ? node.test.argument : node.test;
    const checked = test.type === "CallExpression" ? this.k6Call(test, scope) : undefined;
    if (checked) {
      const sends = containsRequest(node.consequent, scope) || (node.alternate ? containsRequest(node.alternate, scope) : false);
      this.cx.note("dropped", `the branches of if (${this.cx.snippet(node.test, 40)})`, node, `loadr does not branch on a check's result${sends ? "; requests in them are dropped too" : ""}`);
      return checked;
    }
    const condition = exprOf(valueOf(node.test, scope, this.cx));
    const sendsRequests = containsRequest(node, scope);
    if (condition) {
      this.cx.note("mapped", `if (${this.cx.snippet(node.test, 50)})`, node);
      const then = this.branch(node.consequent, scope);
      const otherwise = node.alternate ? this.branch(node.alternate, scope) : [];
      return [{ if: `\${${unwrap(condition.code)}}`, then, ...(otherwise.length > 0 ? { else: otherwise } : {}) }];
    }
    if (!sendsRequests) return this.hook([node], scope, "if");
    // A condition only JavaScript can compute, around requests: a hook computes it into a variable.
    const code = hookCode([node.test], scope, this.cx);
    if (code.missing.length > 0) {
      this.cx.note("dropped", `if (${this.cx.snippet(node.test, 50)})`, node, `the condition reads ${code.missing.join("; ")}; its requests are dropped with it`);
      return [];
    }
    const variable = this.cx.variableName(`cond_L${this.cx.line(node)}`);
    const fnName = this.cx.hooks.uniqueName(`${this.owner}_cond_L${this.cx.line(node)}`);
    this.cx.hooks.add({
      name: fnName,
      from: `${this.cx.at(node.test)}  if (${this.cx.snippet(node.test, 50)})`,
      params: "ctx",
      body: [...code.prelude.map((l) => `  ${l}`), `  return { ${variable}: Boolean(${this.cx.code(node.test)}) };`].join("\n"),
    });
    this.cx.note("hook", `if (${this.cx.snippet(node.test, 50)})`, node, `the condition is computed by ${fnName} into vars.${variable}`);
    const then = this.branch(node.consequent, scope);
    const otherwise = node.alternate ? this.branch(node.alternate, scope) : [];
    return [{ js: fnName }, { if: `\${vars.${variable}}`, then, ...(otherwise.length > 0 ? { else: otherwise } : {}) }];
  }

  private branch(node: AnyNode, scope: Scope): Step[] {
    const steps = this.nested(node, () => this.statement(node, scope.child()));
    return steps.length > 0 ? steps : [{ sleep: "0s" }];
  }

  /** `for (let i = 0; i < N; i++)` with a constant N → `loop: { count: N }`, `i` a VU variable. */
  private forStatement(node: AnyNode, scope: Scope): Step[] {
    const init: AnyNode | null = node.init;
    const test: AnyNode | null = node.test;
    const update: AnyNode | null = node.update;
    const counter = init?.type === "VariableDeclaration" && init.declarations.length === 1 && init.declarations[0].id.type === "Identifier" ? init.declarations[0] : undefined;
    const name: string | undefined = counter?.id.name;
    const start = counter?.init?.type === "Literal" ? counter.init.value : undefined;
    const limit = test?.type === "BinaryExpression" && test.left.type === "Identifier" && test.left.name === name ? valueOf(test.right, scope, this.cx) : undefined;
    const increments = update?.type === "UpdateExpression" && update.operator === "++" && update.argument.name === name;
    if (name && typeof start === "number" && Number.isInteger(start) && limit?.kind === "number" && increments && (test!.operator === "<" || test!.operator === "<=")) {
      const count = Math.max(0, (test!.operator === "<=" ? limit.value + 1 : limit.value) - start);
      if (Number.isInteger(count) && count <= MAX_LOOP_COUNT && !assignedOuterNames([node.body]).includes(name)) {
        const inner = scope.child();
        const variable = this.cx.variableName(name);
        inner.set(name, { value: undefined, variable });
        this.cx.note("mapped", `for (${this.cx.snippet(init!, 30)}; …)`, node, `loop: { count: ${count} } with vars.${variable} as the counter`);
        const body = this.nested(node.body, () => this.statement(node.body, inner));
        return [{ set: { [variable]: start } }, { loop: { count }, steps: [...body, { set: { [variable]: `\${vars.${variable} + 1}` } }] }];
      }
    }
    if (!containsRequest(node, scope)) return this.hook([node], scope, "loop");
    this.cx.note("dropped", `for (${this.cx.snippet(node, 50)})`, node, "a loop over computed data that sends requests: a hook cannot send them; write it as loop:/if: steps");
    return [];
  }

  private inline(fn: FunctionLike, name: string, call: AnyNode, scope: Scope): Step[] {
    if (this.cx.inlining.includes(name) || this.cx.inlining.length >= MAX_INLINE_DEPTH) {
      return this.hook([{ type: "ExpressionStatement", expression: call, start: call.start, end: call.end, loc: call.loc } as AnyNode], scope, name);
    }
    if (!containsRequest(fn, scope) && !containsK6Call(fn, scope)) {
      return this.hook([{ type: "ExpressionStatement", expression: call, start: call.start, end: call.end, loc: call.loc } as AnyNode], scope, name);
    }
    const inner = scope.child();
    fn.params.forEach((param: AnyNode, i: number) => {
      if (param.type !== "Identifier") return;
      const arg: AnyNode | undefined = call.arguments[i];
      const argValue = arg ? (arg.type === "Identifier" ? scope.get(arg.name) : { value: valueOf(arg, scope, this.cx), init: arg }) : undefined;
      inner.set(param.name, argValue ?? { value: undefined });
    });
    this.cx.note("mapped", `${name}(…)`, call, `its body is inlined here`);
    this.cx.inlining.push(name);
    try {
      return this.body(fn, inner);
    } finally {
      this.cx.inlining.pop();
    }
  }

  /** A `js` step calling a new hook with the original code of `nodes`, or nothing (dropped) when a hook cannot run it. */
  /** `nodes` as a js step or check calling a generated hook (flow-hook.ts), labelled `label`. */
  private hook(nodes: AnyNode[], scope: Scope, label: string, codeText?: string): Step[] {
    return hookSteps(nodes, scope, this.cx, this.owner, label, codeText);
  }

  private dropRequest(node: AnyNode): void {
    this.cx.note("dropped", this.cx.snippet(node), node, "a request whose URL, body or params loadr cannot express (computed in code)");
  }
}

/** `(a == b)` → `a == b` when the outer parentheses enclose the whole expression. */
function unwrap(code: string): string {
  if (!code.startsWith("(") || !code.endsWith(")")) return code;
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (code[i] === ")") depth--;
    if (depth === 0 && i < code.length - 1) return code;
  }
  return unwrap(code.slice(1, -1));
}

/** Whether `node` calls check/group/sleep (so inlining it keeps them as steps). */
function containsK6Call(node: Node, scope: Scope): boolean {
  let found = false;
  full(node, (n: AnyNode) => {
    if (found || n.type !== "CallExpression" || n.callee.type !== "Identifier") return;
    const v = scope.get(n.callee.name)?.value;
    if (v?.kind === "import" && v.module === "k6") found = true;
  });
  return found;
}

