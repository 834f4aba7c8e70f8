// A `grpc:` step → GrpcSpec. The proto is read here, through `ctx.planFiles` (never the disk
// directly), with its imports: parse errors are reported at `proto:`, an unknown method at
// `method:` with the ones there are, a call kind that does not fit `message:`/`stream:` at the
// key. Every file read is added to the plan's files, so it is shipped to agents like a CSV.
// Called by the plan loader through `grpcStep.normalize`.
import type { Path } from "../../../config/issues.ts";
import type { JsonTemplate, Template } from "../../../config/plan.ts";
import type { StepNormalizeContext } from "../../../config/syntax.ts";
import { compileJson, isStaticJson, renderJson, EMPTY_SCOPE } from "../../../config/templates.ts";
import { addFile, arr, bool, isRecord, ms, rec, str, template, type NormalizeContext } from "../../../config/normalize/context.ts";
import { normalizeTags } from "../../../config/normalize/tags.ts";
import { buildRoot, collectProtoFilesSync, findMethod, ProtoError, type ProtoMethod } from "../proto-root.ts";
import { GRPC_CHECKS } from "../status-check.ts";
import type { GrpcSpec, GrpcTls } from "./spec.ts";

const PROTO_FILE = "proto file";

export function normalizeGrpc(step: Record<string, unknown>, stepPath: Path, nc: StepNormalizeContext): GrpcSpec {
  const { ctx, env, defaults } = nc;
  const path = [...stepPath, "grpc"];
  const r = rec(step.grpc);
  const proto = str(r.proto) ?? "";
  const methodName = str(r.method) ?? "";
  const method = proto && methodName ? loadMethod(ctx, proto, methodName, path) : undefined;
  const kind = method?.kind ?? "unary";
  const s = rec(r.stream);
  const receive = rec(s.receive);
  const json = (value: unknown, at: Path): JsonTemplate => compileJson(value, (text, p) => template(ctx, text, p, env), at);
  const message = json(r.message ?? {}, [...path, "message"]);
  const send = arr(s.send).map((m, i) => json(m, [...path, "stream", "send", i]));

  if (method) {
    checkShape(ctx, path, r, s, kind);
    if (isStaticJson(message) && r.message !== undefined) verifyMessage(ctx, method, message, [...path, "message"]);
    send.forEach((m, i) => isStaticJson(m) && verifyMessage(ctx, method, m, [...path, "stream", "send", i]));
  }
  const metadata = Object.entries(rec(r.metadata)).map(
    ([key, value]) => [key.toLowerCase(), template(ctx, value, [...path, "metadata", key], env)] as [string, Template],
  );
  return {
    name: str(r.name) ?? methodName,
    tags: normalizeTags(r.tags, [...path, "tags"], ctx, env),
    target: template(ctx, r.target, [...path, "target"], env),
    proto,
    method: methodName,
    kind,
    metadata,
    message,
    send,
    ...(typeof receive.count === "number" ? { receiveCount: receive.count } : {}),
    timeout: ms(receive.timeout, ms(r.timeout, defaults.timeout)),
    ...(tlsOf(r.tls, defaults.tls) ?? {}),
    checks: nc.normalizeChecks(r.checks, [...path, "checks"], GRPC_CHECKS),
    extract: nc.normalizeExtractions(r.extract, [...path, "extract"]),
  };
}

function tlsOf(raw: unknown, defaults: { insecure: boolean; ca?: string; serverName?: string }): { tls: GrpcTls } | undefined {
  if (raw === undefined || raw === false) return undefined;
  const t = rec(raw);
  const tls: GrpcTls = { insecure: bool(t.insecure, defaults.insecure) };
  if (defaults.ca) tls.ca = defaults.ca;
  const serverName = str(t.serverName) ?? defaults.serverName;
  if (serverName) tls.serverName = serverName;
  return { tls };
}

/** The method, or undefined with the problem reported (at `proto` or `method`). */
function loadMethod(ctx: NormalizeContext, proto: string, methodName: string, path: Path): ProtoMethod | undefined {
  try {
    const files = collectProtoFilesSync(proto, (file) => {
      addFile(ctx, file);
      const read = ctx.planFiles.readText(file, PROTO_FILE);
      if (!read.ok) throw new ProtoError(read.message, read.hint, "proto");
      return read.text;
    });
    return findMethod(buildRoot(files), methodName);
  } catch (error) {
    if (!(error instanceof ProtoError)) throw error;
    ctx.issues.error([...path, error.at], error.message, { hint: error.hint });
    return undefined;
  }
}

function checkShape(ctx: NormalizeContext, path: Path, r: Record<string, unknown>, s: Record<string, unknown>, kind: GrpcSpec["kind"]): void {
  const clientStreams = kind === "client-streaming" || kind === "bidirectional";
  const serverStreams = kind === "server-streaming" || kind === "bidirectional";
  if (clientStreams && r.message !== undefined) {
    ctx.issues.error([...path, "message"], `${kind} method ${str(r.method)} takes its requests from stream.send, not message`, {
      at: "key",
      hint: "write the requests as stream: { send: [ {...}, {...} ] }",
    });
  }
  if (clientStreams && s.send === undefined) {
    ctx.issues.error([...path, isRecord(r.stream) ? "stream" : "method"], `${kind} method ${str(r.method)} needs stream.send (the requests to send)`, {
      at: "key",
      hint: "add stream: { send: [ {...} ] }",
    });
  }
  if (!clientStreams && s.send !== undefined) {
    ctx.issues.error([...path, "stream", "send"], `${kind} method ${str(r.method)} takes one request, in message:`, { at: "key", hint: "move the request to message:" });
  }
  if (!serverStreams && s.receive !== undefined) {
    ctx.issues.error([...path, "stream", "receive"], `${kind} method ${str(r.method)} answers one message; stream.receive is for streaming responses`, {
      at: "key",
      hint: "remove stream.receive; use timeout: for the call's deadline",
    });
  }
}

function verifyMessage(ctx: NormalizeContext, method: ProtoMethod, message: JsonTemplate, path: Path): void {
  const problem = method.verify(renderJson(message, EMPTY_SCOPE));
  if (problem) ctx.issues.error(path, `not a request of ${method.name}: ${problem}`, { hint: "write the message's fields as the proto names them" });
}
