// The `grpc:` step of the gRPC protocol module: its schema (schema.ts), normalizer (normalize.ts)
// and runtime. Compiled once per (VU factory, scenario); the proto (and its imports) is read
// through `cc.readFile` on the first run and shared by every VU of the factory. Running it:
// render the target, metadata and messages, call on the VU's "grpc" session (call.ts), then
// (unless aborted) run its checks (shared + grpcStatus) and extractions.
import type { StepKind } from "../../../plugin-api/types.ts";
import type { StepCompileContext } from "../../../core/modules.ts";
import { runChecks } from "../../../core/checks/run.ts";
import { missMessage, runExtractors } from "../../../core/extract/extractors.ts";
import { renderJson } from "../../../config/templates.ts";
import { invoke } from "../call.ts";
import { buildRoot, collectProtoFiles, findMethod, type ProtoMethod } from "../proto-root.ts";
import type { GrpcSession } from "../session.ts";
import { grpcStepSchema } from "./schema.ts";
import { normalizeGrpc } from "./normalize.ts";
import type { GrpcSpec } from "./spec.ts";

/** The protocol name the step's sessions are opened under (src/protocols/registry.ts). */
export const GRPC_PROTOCOL = "grpc";

export const grpcStep: StepKind<GrpcSpec> = {
  key: "grpc",
  schema: grpcStepSchema,
  normalize: normalizeGrpc,
  compile(spec, loc, cc) {
    const tags = Object.freeze({ ...cc.tags, ...spec.tags, scenario: cc.scenario, group: cc.group, name: spec.name });
    const checks = cc.compileChecks(spec.checks, cc.group, spec.tags);
    const extract = cc.compileExtractions(spec.extract);
    const method = methodLoader(spec, cc);
    const clientStreams = spec.kind === "client-streaming" || spec.kind === "bidirectional";
    return {
      kind: "grpc",
      loc,
      async run(vu, signal) {
        const resolved = await method();
        const scope = vu.scope;
        const messages = clientStreams ? spec.send.map((m) => renderJson(m, scope)) : [renderJson(spec.message, scope)];
        for (const message of messages) {
          const problem = resolved.verify(message);
          if (problem) throw new Error(`the message for ${spec.method} is not a valid request: ${problem}`);
        }
        const response = await invoke(
          vu.session<GrpcSession>(GRPC_PROTOCOL),
          {
            target: spec.target.render(scope),
            tls: spec.tls,
            method: resolved,
            metadata: spec.metadata.map(([key, value]) => [key, value.render(scope)]),
            messages,
            receiveCount: spec.receiveCount,
            timeout: spec.timeout,
          },
          tags,
          signal,
        );
        if (signal.aborted) return;
        if (checks.length > 0) runChecks(checks, response, scope, vu.metrics);
        if (extract.length > 0) runExtractors(extract, response, scope.vars, vu.cookies, (miss) => vu.warn(missMessage(miss)));
      },
    };
  },
};

/** The step's method, loaded once from the proto files (a failed load is retried on the next run). */
function methodLoader(spec: GrpcSpec, cc: StepCompileContext): () => Promise<ProtoMethod> {
  let pending: Promise<ProtoMethod> | undefined;
  return () =>
    (pending ??= collectProtoFiles(spec.proto, async (path) => new TextDecoder().decode(await cc.readFile(path)))
      .then((files) => findMethod(buildRoot(files), spec.method))
      .catch((error: unknown) => {
        pending = undefined;
        throw new Error(`cannot load ${spec.method} from ${spec.proto}: ${(error as Error)?.message ?? error}`);
      }));
}
