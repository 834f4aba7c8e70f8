// The `udp:` step of the UDP protocol module: schema (schema.ts), normalizer (normalize.ts) and
// runtime. Running it: render the target and payload, exchange them on the VU's "udp" session,
// then (unless aborted) run its checks and extractions on the reply (as the body).
import type { StepKind } from "../../../plugin-api/types.ts";
import { runChecks } from "../../../core/checks/run.ts";
import { missMessage, runExtractors } from "../../../core/extract/extractors.ts";
import { renderPayload } from "../../tcp/payload.ts";
import type { UdpSession } from "../session.ts";
import { normalizeUdp } from "./normalize.ts";
import { udpStepSchema } from "./schema.ts";
import type { UdpStepSpec } from "./spec.ts";

/** The protocol name the step's sessions are opened under (src/protocols/registry.ts). */
export const UDP_PROTOCOL = "udp";

export const udpStep: StepKind<UdpStepSpec> = {
  key: "udp",
  schema: udpStepSchema,
  normalize: normalizeUdp,
  compile(spec, loc, cc) {
    const tags = Object.freeze({ ...cc.tags, ...spec.tags, scenario: cc.scenario, group: cc.group });
    const checks = cc.compileChecks(spec.checks, cc.group, spec.tags);
    const extract = cc.compileExtractions(spec.extract);
    return {
      kind: "udp",
      loc,
      async run(vu, signal) {
        const exchange = { name: spec.name, target: spec.target.render(vu.scope), payload: renderPayload(spec.send, vu.scope), expectTimeout: spec.expectTimeout };
        const response = await vu.session<UdpSession>(UDP_PROTOCOL).exchange(exchange, tags, signal);
        if (signal.aborted) return;
        if (checks.length > 0) runChecks(checks, response, vu.scope, vu.metrics);
        if (extract.length > 0) runExtractors(extract, response, vu.scope.vars, vu.cookies, (miss) => vu.warn(missMessage(miss)));
      },
    };
  },
};
