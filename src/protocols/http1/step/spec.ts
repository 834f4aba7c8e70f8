// The normalized `request:` step (`Step.spec` of kind "request"): what normalize.ts makes of the
// YAML and compile.ts turns into a per-VU request builder. Templates are compiled, defaults merged.
import type { CheckSpec, ExtractSpec, JsonTemplate, Ms, Template, TlsSpec } from "../../../config/plan.ts";

export type BodySpec =
  | { kind: "json"; value: JsonTemplate }
  | { kind: "form"; fields: Array<[string, Template]> }
  | { kind: "raw"; text: Template; contentType?: string }
  | { kind: "file"; path: string; contentType?: string };

export interface RequestSpec {
  /** Metric tag `name`: the explicit name, or the URL template's source. */
  name: string;
  /** The request's own `tags:` (config/normalize/tags.ts), on every sample it records. */
  tags: Record<string, string>;
  method: string;
  url: Template;
  /** Defaults merged in; names lower-cased; later entries win. */
  headers: Array<[string, Template]>;
  body?: BodySpec;
  timeout: Ms;
  connectTimeout: Ms;
  maxRedirects: number;
  tls: TlsSpec;
  /** `http: { version }` with the defaults' merged in: "1.1", "2" or "auto". */
  httpVersion: string;
  checks: CheckSpec[];
  extract: ExtractSpec[];
}
