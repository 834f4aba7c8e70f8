// The normalized `udp:` step (`Step.spec` of kind "udp"): what normalize.ts makes of the YAML and
// udp-step.ts runs.
import type { CheckSpec, ExtractSpec, Ms, Template } from "../../../config/plan.ts";
import type { PayloadSpec } from "../../tcp/payload.ts";

export interface UdpStepSpec {
  name: string;
  tags: Record<string, string>;
  target: Template;
  send: PayloadSpec;
  /** How long to wait for the reply; undefined: no reply expected (no `expect:`). */
  expectTimeout: Ms | undefined;
  /** `expect`'s contains/matches (as the shared `body` check) followed by the step's `checks:`. */
  checks: CheckSpec[];
  extract: ExtractSpec[];
}
