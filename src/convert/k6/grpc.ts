// k6/net/grpc (unary calls) → loadr `grpc` steps: `new grpc.Client()` holds what `client.load(
// [dirs], "x.proto")` and `client.connect(addr, { plaintext })` set; `client.invoke("pkg.Svc/
// Method", message, { metadata, timeout })` is one `- grpc: { target, proto, method, message, … }`
// step whose response checks see (`r.status === grpc.StatusOK` → `grpcStatus: OK`,
// `r.message.x === v` → `json: "$.x"`). `client.close()` needs nothing (loadr keeps the
// connection per VU). Streams (`grpc.Stream`) are not mapped.
import type { Node } from "acorn";
import type { K6Context, Scope } from "./context.ts";
import { propertyName, valueOf } from "./expressions.ts";
import { jsonOf, templateOf, type RequestStep } from "./values.ts";

type AnyNode = Node & Record<string, any>;

/** What a k6 gRPC client has been told so far (mutated as the script's calls are converted). */
export interface GrpcClientState {
  proto?: string;
  target?: string;
  plaintext?: boolean;
}

/** The k6 constant `grpc.StatusNotFound` → loadr's `NOT_FOUND`. */
export function grpcStatusName(k6Name: string): string | undefined {
  if (!k6Name.startsWith("Status") || k6Name.length <= 6) return undefined;
  return k6Name
    .slice(6)
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toUpperCase();
}

/** The client a `client.method(...)` call is made on, with the method's name. */
export function grpcCall(node: AnyNode, scope: Scope): { client: GrpcClientState; method: string } | undefined {
  if (node.type !== "CallExpression" || node.callee.type !== "MemberExpression" || node.callee.object.type !== "Identifier") return undefined;
  const value = scope.get(node.callee.object.name)?.value;
  const method = propertyName(node.callee);
  return value?.kind === "grpcClient" && method ? { client: value.state, method } : undefined;
}

/** `client.load(["dir"], "file.proto")`: the proto path relative to the script. */
export function grpcLoad(node: AnyNode, client: GrpcClientState, scope: Scope, cx: K6Context): boolean {
  const [dirs, file] = node.arguments as AnyNode[];
  const dirValue = dirs ? valueOf(dirs, scope, cx) : undefined;
  const fileValue = file ? valueOf(file, scope, cx) : undefined;
  const dir = dirValue?.kind === "json" && Array.isArray(dirValue.value) ? dirValue.value[0] : undefined;
  if (fileValue?.kind !== "text" || fileValue.template.includes("${") || (dir !== undefined && (typeof dir !== "string" || dir.includes("${")))) return false;
  const joined = dir ? `${String(dir).replace(/\/+$/, "")}/${fileValue.template}` : fileValue.template;
  client.proto = joined;
  cx.files.push(joined);
  cx.note("mapped", `client.load(…) ${joined}`, node, "the proto of the grpc steps (a data file next to the plan)");
  return true;
}

/** `client.connect(address, { plaintext })`. */
export function grpcConnect(node: AnyNode, client: GrpcClientState, scope: Scope, cx: K6Context): boolean {
  const [address, params] = node.arguments as AnyNode[];
  const target = address ? templateOf(valueOf(address, scope, cx)) : undefined;
  if (target === undefined) return false;
  client.target = target;
  const p = params ? jsonOf(valueOf(params, scope, cx)) : { ok: true as const, value: {} };
  const plaintext = p.ok && typeof p.value === "object" && p.value !== null ? (p.value as Record<string, unknown>).plaintext : undefined;
  client.plaintext = plaintext === true;
  cx.note("mapped", `client.connect(${cx.snippet(address!, 40)})`, node, client.plaintext ? "target (plaintext)" : "target (TLS, as k6's default)");
  return true;
}

/** `client.invoke(method, message, params)` → a grpc step map, or undefined when it cannot be expressed. */
export function grpcInvoke(node: AnyNode, client: GrpcClientState, scope: Scope, cx: K6Context): { step: Record<string, unknown>; response: RequestStep } | undefined {
  const [methodNode, messageNode, paramsNode] = node.arguments as AnyNode[];
  const method = methodNode ? valueOf(methodNode, scope, cx) : undefined;
  if (method?.kind !== "text" || client.target === undefined || client.proto === undefined) return undefined;
  const grpc: Record<string, unknown> = { target: client.target, proto: client.proto, method: method.template.replace(/^\//, "") };
  if (!client.plaintext) grpc.tls = true;
  if (messageNode) {
    const message = jsonOf(valueOf(messageNode, scope, cx));
    if (!message.ok || typeof message.value !== "object" || message.value === null || Array.isArray(message.value)) return undefined;
    grpc.message = message.value;
  }
  if (paramsNode) {
    const params = jsonOf(valueOf(paramsNode, scope, cx));
    if (!params.ok || typeof params.value !== "object" || params.value === null) return undefined;
    for (const [key, value] of Object.entries(params.value as Record<string, unknown>)) {
      if (key === "metadata" && typeof value === "object" && value !== null) grpc.metadata = value;
      else if (key === "timeout" && (typeof value === "string" || typeof value === "number")) grpc.timeout = typeof value === "number" ? `${value}ms` : value;
      else if (key === "tags" && typeof value === "object" && value !== null) {
        const { name, ...rest } = value as Record<string, unknown>;
        if (name !== undefined) grpc.name = String(name);
        if (Object.keys(rest).length > 0) grpc.tags = rest;
      } else cx.note("dropped", `grpc param ${key}`, paramsNode, "the grpc step has no such setting");
    }
  }
  cx.note("mapped", `client.invoke(${cx.snippet(methodNode!, 50)})`, node, "a grpc step");
  // Checks and extractions attach to the step's map, as they do to a request's.
  return { step: { grpc }, response: { request: grpc } };
}
