// The normalized `sse:` step (`Step.spec` of kind "sse"): what normalize.ts makes of the YAML and
// sse-step.ts runs. Templates are compiled, defaults merged.
import type { CheckSpec, ExtractSpec, Ms, Template, TlsSpec } from "../../../config/plan.ts";

export interface SseSpec {
  /** Metric tag `name`: the explicit name, or the URL template's source. */
  name: string;
  /** Absolute http(s) URL, or relative to baseUrl. */
  url: Template;
  /** Defaults merged in; names lower-cased. */
  headers: Array<[string, Template]>;
  tls: TlsSpec;
  /** `until.events`: stop after this many events. */
  events: number | undefined;
  /** `until.timeout`, else the step's `timeout`, else the plan's default: bounds the whole stream. */
  timeout: Ms;
  checks: CheckSpec[];
  extract: ExtractSpec[];
}
