// The plan's `defaults:` as every request-like step sees them (HTTP, and later gRPC, WebSocket…):
// merged under each step's own values by the step's normalizer.
import type { Ms, Template, TlsSpec } from "../plan.ts";

export interface RequestDefaults {
  headers: Array<[string, Template]>;
  timeout: Ms;
  connectTimeout: Ms;
  maxRedirects: number;
  tls: TlsSpec;
}
