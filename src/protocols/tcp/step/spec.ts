// The normalized `tcp:` step (`Step.spec` of kind "tcp"): what normalize.ts makes of the YAML and
// tcp-step.ts runs. Templates compiled, defaults (timeouts, TLS) merged.
import type { CheckSpec, ExtractSpec, Ms, Template, TlsSpec } from "../../../config/plan.ts";
import type { PayloadSpec } from "../payload.ts";

export interface TcpExpectSpec {
  /** The delimiter that ends the reply (UTF-8 bytes of the text); undefined with `length`. */
  until?: string;
  /** The reply's length in bytes. */
  length?: number;
  timeout: Ms;
}

export interface TcpStepSpec {
  /** Metric tag `name`: the explicit name, or the target template's source. */
  name: string;
  tags: Record<string, string>;
  target: Template;
  /** Undefined: plain TCP. */
  tls: TlsSpec | undefined;
  send: PayloadSpec;
  expect: TcpExpectSpec | undefined;
  connectTimeout: Ms;
  keepAlive: boolean;
  /** `expect`'s contains/matches (as the shared `body` check) followed by the step's `checks:`. */
  checks: CheckSpec[];
  extract: ExtractSpec[];
}
