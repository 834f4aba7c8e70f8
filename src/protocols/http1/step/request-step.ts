// The `request:` step of the HTTP/1.1 protocol module: its schema (schema.ts), normalizer
// (normalize.ts) and runtime. Running it: load a body file on first use, build the request,
// send it on the VU's "http" session — or its "http2" one (src/protocols/http2/) when
// `http: { version }` is "2", or "auto" on an https:// URL — then (unless aborted) run its checks and extractions.
// `run` returns a promise; `runThen` (what the VU loop uses) calls back, through the session's
// `sendThen` where it has one.
import type { StepKind } from "../../../plugin-api/types.ts";
import { runChecks } from "../../../core/checks/run.ts";
import { missMessage, runExtractors } from "../../../core/extract/extractors.ts";
import type { VuRuntime } from "../../../core/flow/interpreter.ts";
import { compileRequest } from "./compile.ts";
import { normalizeRequest } from "./normalize.ts";
import { requestStepSchema } from "./schema.ts";
import type { ProtocolSession, ResolvedRequest, ResponseView } from "../../types.ts";
import type { RequestSpec } from "./spec.ts";

/** The protocol name the step's sessions are opened under (src/protocols/registry.ts). */
export const HTTP_PROTOCOL = "http";
/** The session HTTP/2 requests go to (src/protocols/http2/index.ts `HTTP2_PROTOCOL`). */
const HTTP2_SESSION = "http2";

/** The session a request of `version` to `url` is sent on. */
function sessionFor(version: string, url: string): string {
  if (version === "2") return HTTP2_SESSION;
  if (version === "auto" && url.startsWith("https:")) return HTTP2_SESSION;
  return HTTP_PROTOCOL;
}

export const httpRequestStep: StepKind<RequestSpec> = {
  key: "request",
  schema: requestStepSchema,
  normalize: normalizeRequest,
  compile(spec, loc, cc) {
    const request = compileRequest(spec, cc);
    const { checks, body, tags } = request;
    const extract = cc.compileExtractions(spec.extract);
    const nothingAfter = checks.length === 0 && extract.length === 0;
    /** Checks and extractions on `response` (unless the send was aborted: a cut-off response says nothing). */
    const inspect = (vu: VuRuntime, signal: AbortSignal, response: ResponseView): void => {
      if (signal.aborted) return;
      if (checks.length > 0) runChecks(checks, response, vu.scope, vu.metrics);
      if (extract.length > 0) runExtractors(extract, response, vu.scope.vars, vu.cookies, (miss) => vu.warn(missMessage(miss)));
    };
    // No promise of its own: the session's promise is returned as is when nothing follows it
    // (one await frame less per request), else chained once to the checks and extractions.
    const send = (vu: VuRuntime, signal: AbortSignal): Promise<unknown> => {
      const built = request.build(vu.scope);
      const sending = vu.session(sessionFor(spec.httpVersion, built.url)).send(built, tags, signal);
      if (nothingAfter) return sending;
      return sending.then((response) => inspect(vu, signal, response));
    };
    return {
      kind: "request",
      loc,
      run(vu, signal) {
        const loading = body?.load();
        return loading ? loading.then(() => send(vu, signal)) : send(vu, signal);
      },
      // The hot path: a session with `sendThen` (HTTP/1.1) calls back, no promise in between.
      runThen(vu, signal, done) {
        let session: ProtocolSession;
        let built: ResolvedRequest;
        try {
          const loading = body?.load();
          if (loading) return void loading.then(() => send(vu, signal)).then(() => done(), (error: unknown) => done({ error }));
          built = request.build(vu.scope);
          session = vu.session(sessionFor(spec.httpVersion, built.url));
        } catch (error) {
          return done({ error });
        }
        const received = (response: ResponseView): void => {
          try {
            if (!nothingAfter) inspect(vu, signal, response);
          } catch (error) {
            return done({ error });
          }
          done();
        };
        if (session.sendThen !== undefined) return session.sendThen(built, tags, signal, received);
        void session.send(built, tags, signal).then(received, (error: unknown) => done({ error }));
      },
    };
  },
};
