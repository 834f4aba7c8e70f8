// The normalized `ws:` step (`Step.spec` of kind "ws"): what normalize.ts makes of the YAML and
// compile.ts turns into a per-VU session runner. Templates are compiled, defaults merged.
import type { CheckSpec, ExtractSpec, Ms, Template, TlsSpec } from "../../../config/plan.ts";

/** Whether `text` is base64 (the way `send: { binary }` is written). */
export const isBase64 = (text: string): boolean => /^[A-Za-z0-9+/]*={0,2}$/.test(text);

export interface CloseSpec {
  code: number;
  reason: string;
}

/** One action of `session:`, run in order on the open socket. */
export type WsActionSpec =
  | { kind: "send"; text: Template }
  /** `binary` renders to base64. */
  | { kind: "sendBinary"; binary: Template }
  /** The next message that passes `check` (one check of any kind the step accepts). */
  | { kind: "expect"; check: CheckSpec; timeout: Ms; extract: ExtractSpec[] }
  | { kind: "receive"; count: number; timeout: Ms; extract: ExtractSpec[] }
  | { kind: "ping"; timeout: Ms }
  | { kind: "sleep"; ms: Ms }
  | { kind: "close"; close: CloseSpec };

export interface WsSpec {
  /** Metric tag `name`: the explicit name, or the URL template's source. */
  name: string;
  /** ws://, wss://, or relative to baseUrl (http → ws, https → wss). */
  url: Template;
  /** Defaults merged in; names lower-cased. */
  headers: Array<[string, Template]>;
  subprotocols: string[];
  /** Default wait of `expect`, `receive` and `ping`. */
  timeout: Ms;
  connectTimeout: Ms;
  tls: TlsSpec;
  session: WsActionSpec[];
  /** How the session closes after its last action. */
  close: CloseSpec;
  /** On the whole session (ws/message-view.ts `sessionView`). */
  checks: CheckSpec[];
  extract: ExtractSpec[];
}
