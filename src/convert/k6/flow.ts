// A k6 VU function's statements → loadr flow steps, in order: k6/http calls → `request`,
// `check` → the request's `checks`, `group` → `group`, `sleep` → `sleep`, response reads →
// `extract`, `if` over convertible conditions → `if`, counted `for` loops → `loop`, calls of the
// script's own functions inlined. Everything else becomes a `js` step calling a generated hook
// with the original code (hook-code.ts), or — when it sends requests or needs a response, which a
// hook cannot — is dropped with its position. Every decision is a note.
import type { Node } from "acorn";
import type { K6Context, Scope } from "./context.ts";
import { checkOf } from "./checks.ts";
import { dottedName, isMathRandom, propertyName, valueOf } from "./expressions.ts";
import { assignedOuterNames, hookCode, referencedNames, topLevelDeclared } from "./hook-code.ts";
import { K6_RESPONSE_SHIM } from "./shims.ts";
import { httpFunction, requestSteps } from "./http.ts";
import { grpcCall, grpcConnect, grpcInvoke, grpcLoad } from "./grpc.ts";
import { extractionVariable, responseRead } from "./responses.ts";
import { exprOf, templateOf, type FunctionLike, type RequestStep, type Value } from "./values.ts";
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
          this.dropRequest(init, scope);
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
      this.dropRequest(e, scope);
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
    if (k6 === "check") return this.check(e, scope);
    if (k6 === "group") return this.group(e, scope);
    if (k6 === "sleep") return this.sleep(e, scope);
    if (k6 === "fail") {
      this.cx.note("dropped", `fail(${this.cx.snippet(e.arguments[0] ?? e, 40)})`, e, "loadr has no step that fails the iteration on purpose; use a check");
      return [];
    }
    return undefined;
  }

  private check(e: AnyNode, scope: Scope): Step[] {
    const [subject, map] = e.arguments as AnyNode[];
    if (map?.type !== "ObjectExpression") {
      this.cx.note("dropped", `check(${subject ? this.cx.snippet(subject, 30) : ""}, …)`, e, "its predicates are not an object literal");
      return [];
    }
    const target = subject ? this.responseStep(subject, scope) : undefined;
    // A subject computed from one response (`res.json()`, `JSON.parse(res.body)`): js checks on it.
    const derived = !target && subject ? this.singleResponse([subject], scope) : undefined;
    for (const prop of map.properties as AnyNode[]) {
      if (prop.type !== "Property") continue;
      const name = prop.key.type === "Literal" ? String(prop.key.value) : prop.key.type === "Identifier" && !prop.computed ? prop.key.name : undefined;
      const fn: AnyNode = prop.value;
      // `() => res.status === 200`: a predicate that reads a response by its name.
      const named = !target && !derived && (fn.type === "ArrowFunctionExpression" || fn.type === "FunctionExpression") && fn.params.length === 0 ? this.singleResponse([fn], scope) : undefined;
      const step = target?.step ?? derived?.step ?? named?.step;
      if (!step) {
        this.cx.note("dropped", `check ${JSON.stringify(name ?? "")}`, prop, `it asserts on ${subject ? this.cx.snippet(subject, 30) : "nothing"}, not on a response loadr can attach it to`);
        continue;
      }
      // `check(res, { ok: () => res.status === 200 })`: the predicate reads the subject by its name.
      const byName = target && fn.params?.length === 0 && subject!.type === "Identifier" ? (subject!.name as string) : named?.name;
      const mapped = target || named ? checkOf(fn, scope, this.cx, byName) : undefined;
      const checks = ((step.request.checks as unknown[] | undefined) ?? []) as Record<string, unknown>[];
      if (mapped) {
        checks.push(name !== undefined ? { ...mapped, name } : mapped);
        this.cx.note("mapped", `check ${JSON.stringify(name ?? "")}`, prop, undefined);
      } else {
        const call = target && byName === undefined ? "predicate(k6response(response))" : derived ? `predicate(${this.cx.code(subject!)})` : "predicate()";
        const hook = this.checkHook(prop, name, scope, call, derived?.name ?? byName);
        if (hook) checks.push(hook);
      }
      if (checks.length > 0) step.request.checks = checks;
    }
    if (e.arguments[2]) this.cx.note("dropped", "check tags", e.arguments[2], "loadr check names are their tags");
    return target?.extra ?? [];
  }

  /** The one response binding `nodes` read, when they read exactly one. */
  private singleResponse(nodes: AnyNode[], scope: Scope): { name: string; step: RequestStep } | undefined {
    const found = referencedNames(nodes).flatMap((n) => {
      const v = scope.get(n)?.value;
      return v?.kind === "response" ? [{ name: n, step: v.step }] : [];
    });
    return found.length === 1 ? found[0] : undefined;
  }

  /** The request step whose response `node` is: a response binding, or an http call right here. */
  private responseStep(node: AnyNode, scope: Scope): { step: RequestStep; extra: Step[] } | undefined {
    const value: Value | undefined = node.type === "Identifier" ? scope.get(node.name)?.value : undefined;
    if (value?.kind === "response") return { step: value.step, extra: [] };
    const fn = httpFunction(node, scope);
    if (fn && fn !== "batch") {
      const steps = requestSteps(node, fn, scope, this.cx);
      if (steps) return { step: steps.at(-1)!, extra: steps };
    }
    return undefined;
  }

  /** A js check running the predicate's original code; `call` applies it, `responseName` is bound to the response. */
  private checkHook(prop: AnyNode, name: string | undefined, scope: Scope, call: string, responseName?: string): Record<string, unknown> | undefined {
    const fnNode: AnyNode = prop.value;
    const code = hookCode([fnNode], scope, this.cx, [], new Set(responseName ? [responseName] : []));
    if (code.missing.length > 0) {
      this.cx.note("dropped", `check ${JSON.stringify(name ?? "")}`, prop, `its predicate reads ${code.missing.join("; ")}`);
      return undefined;
    }
    const fnName = this.cx.hooks.uniqueName(`check_${name ?? `L${this.cx.line(prop)}`}`);
    this.cx.hooks.helper("k6response", K6_RESPONSE_SHIM);
    this.cx.hooks.add({
      name: fnName,
      from: `${this.cx.at(prop)}  check ${JSON.stringify(name ?? "")}`,
      params: "ctx, response",
      body: [
        ...(responseName ? [`  const ${responseName} = k6response(response);`] : []),
        ...code.prelude.map((l) => `  ${l}`),
        `  const predicate = ${this.cx.code(fnNode)};`,
        `  return Boolean(${call});`,
      ].join("\n"),
    });
    this.cx.note("hook", `check ${JSON.stringify(name ?? "")}`, prop, `js check ${fnName}`);
    return name !== undefined ? { js: fnName, name } : { js: fnName };
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

  private sleep(e: AnyNode, scope: Scope): Step[] {
    const arg: AnyNode | undefined = e.arguments[0];
    const fixed = arg ? valueOf(arg, scope, this.cx) : undefined;
    if (fixed?.kind === "number" && fixed.value >= 0) {
      this.cx.note("mapped", `sleep(${this.cx.code(arg!)})`, e);
      return [{ sleep: seconds(fixed.value) }];
    }
    const range = arg ? sleepRange(arg, scope, this.cx) : undefined;
    if (range) {
      this.cx.note("mapped", `sleep(${this.cx.snippet(arg!, 50)})`, e, range.detail);
      return [{ sleep: { min: seconds(range.min), max: seconds(range.max) } }];
    }
    this.cx.note("dropped", `sleep(${arg ? this.cx.snippet(arg, 50) : ""})`, e, "a computed sleep: loadr sleeps take a fixed time or a { min, max } range");
    return [];
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
  private hook(nodes: AnyNode[], scope: Scope, label: string, codeText?: string): Step[] {
    const first = nodes[0]!;
    const snippet = this.cx.snippet(first);
    if (nodes.some((n) => containsRequest(n, scope))) {
      this.cx.note("dropped", snippet, first, "it sends requests from code loadr cannot follow, and a hook cannot send requests");
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
      const code = hookCode(nodes, scope, this.cx, [], new Set([resName]));
      if (code.missing.length === 0) {
        const fnName = this.cx.hooks.uniqueName(`${this.owner}_${label === "statement" ? "" : `${label}_`}L${this.cx.line(first)}`);
        this.cx.hooks.helper("k6response", K6_RESPONSE_SHIM);
        const body = [`  const ${resName} = k6response(response);`, ...code.prelude.map((l) => `  ${l}`), `  ${codeText ?? nodes.map((n) => this.cx.code(n)).join("\n")}`, "  return true;"].join("\n");
        this.cx.hooks.add({ name: fnName, from: `${this.cx.at(first)}  ${snippet}`, params: "ctx, response", body });
        step.request.checks = [...((step.request.checks as unknown[] | undefined) ?? []), { js: fnName, name: `${fnName} (code run on the response)` }];
        this.cx.note("hook", snippet, first, `js check ${fnName} on ${String(step.request.method)} ${String(step.request.url)}: it runs right after that response and counts as a passing check`);
        return [];
      }
    }
    const code = hookCode(nodes, scope, this.cx, assigned);
    if (code.missing.length > 0) {
      this.cx.note("dropped", snippet, first, `it reads ${code.missing.join("; ")}`);
      return [];
    }
    const fnName = this.cx.hooks.uniqueName(`${this.owner}_${label === "statement" ? "" : `${label}_`}L${this.cx.line(first)}`);
    const body = [
      ...code.prelude.map((l) => `  ${l}`),
      `  ${codeText ?? nodes.map((n) => this.cx.code(n)).join("\n")}`,
      ...(returned.length > 0 ? [`  return { ${returned.join(", ")} };`] : []),
    ].join("\n");
    this.cx.hooks.add({ name: fnName, from: `${this.cx.at(first)}  ${snippet}`, params: "ctx", body });
    for (const name of returned) scope.set(name, { value: undefined, variable: name });
    this.cx.note("hook", snippet, first, `js step ${fnName}${returned.length > 0 ? ` (sets ${returned.map((n) => `vars.${n}`).join(", ")})` : ""}`);
    return [{ js: fnName }];
  }

  private dropRequest(node: AnyNode, scope: Scope): void {
    void scope;
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

/** Whether `node` contains a k6/http call (a hook cannot send it). */
export function containsRequest(node: Node, scope: Scope): boolean {
  let found = false;
  full(node, (n: AnyNode) => {
    if (!found && n.type === "CallExpression" && httpFunction(n, scope)) found = true;
  });
  return found;
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

/** Seconds as a loadr duration: `1s`, `500ms`, `1.25s` → `1250ms`. */
export function seconds(s: number): string {
  if (Number.isInteger(s)) return `${s}s`;
  const ms = Math.round(s * 1000);
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** `Math.random() * A (+ B)`, `A + Math.random() * B`, `randomIntBetween(a, b)` → [min, max] seconds. */
function sleepRange(node: AnyNode, scope: Scope, cx: K6Context): { min: number; max: number; detail?: string } | undefined {
  const num = (n: AnyNode) => {
    const v = valueOf(n, scope, cx);
    return v?.kind === "number" ? v.value : undefined;
  };
  if (node.type === "CallExpression" && node.callee.type === "Identifier") {
    const imported = scope.get(node.callee.name)?.value;
    if (imported?.kind === "import" && imported.name === "randomIntBetween" && node.arguments.length === 2) {
      const [a, b] = node.arguments.map(num);
      if (a !== undefined && b !== undefined && a <= b && a >= 0) return { min: a, max: b, detail: "k6 picks whole seconds; loadr any time in the range" };
    }
  }
  if (node.type === "BinaryExpression" && node.operator === "+") {
    const left = sleepRange(node.left, scope, cx);
    const right = num(node.right);
    if (left && right !== undefined) return { min: left.min + right, max: left.max + right };
    const r = sleepRange(node.right, scope, cx);
    const l = num(node.left);
    if (r && l !== undefined) return { min: r.min + l, max: r.max + l };
    return undefined;
  }
  if (node.type === "BinaryExpression" && node.operator === "*") {
    const factor = isMathRandom(node.left) ? num(node.right) : isMathRandom(node.right) ? num(node.left) : undefined;
    if (factor !== undefined && factor >= 0) return { min: 0, max: factor };
  }
  if (isMathRandom(node)) return { min: 0, max: 1 };
  void dottedName;
  void templateOf;
  return undefined;
}
