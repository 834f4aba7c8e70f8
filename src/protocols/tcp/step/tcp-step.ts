// The `tcp:` step of the TCP protocol module: its schema (schema.ts), normalizer (normalize.ts)
// and runtime. Running it: render the target and payload, exchange them on the VU's "tcp"
// session, then (unless aborted) run its checks and extractions on the reply (as the body).
import type { StepKind } from "../../../plugin-api/types.ts";
import { runChecks } from "../../../core/checks/run.ts";
import { missMessage, runExtractors } from "../../../core/extract/extractors.ts";
import { renderPayload } from "../payload.ts";
import type { TcpExchange, TcpSession } from "../session.ts";
import { normalizeTcp } from "./normalize.ts";
import { tcpStepSchema } from "./schema.ts";
import type { TcpStepSpec } from "./spec.ts";

/** The protocol name the step's sessions are opened under (src/protocols/registry.ts). */
export const TCP_PROTOCOL = "tcp";

const encoder = new TextEncoder();

export const tcpStep: StepKind<TcpStepSpec> = {
  key: "tcp",
  schema: tcpStepSchema,
  normalize: normalizeTcp,
  compile(spec, loc, cc) {
    const tags = Object.freeze({ ...cc.tags, ...spec.tags, scenario: cc.scenario, group: cc.group });
    const checks = cc.compileChecks(spec.checks, cc.group, spec.tags);
    const extract = cc.compileExtractions(spec.extract);
    const e = spec.expect;
    const expect = e && (e.until !== undefined ? { until: encoder.encode(e.until) } : { length: e.length });
    return {
      kind: "tcp",
      loc,
      async run(vu, signal) {
        const exchange: TcpExchange = {
          name: spec.name,
          target: spec.target.render(vu.scope),
          tls: spec.tls,
          payload: renderPayload(spec.send, vu.scope),
          expect,
          timeout: e?.timeout ?? 0,
          connectTimeout: spec.connectTimeout,
          keepAlive: spec.keepAlive,
        };
        const response = await vu.session<TcpSession>(TCP_PROTOCOL).exchange(exchange, tags, signal);
        if (signal.aborted) return;
        if (checks.length > 0) runChecks(checks, response, vu.scope, vu.metrics);
        if (extract.length > 0) runExtractors(extract, response, vu.scope.vars, vu.cookies, (miss) => vu.warn(missMessage(miss)));
      },
    };
  },
};
