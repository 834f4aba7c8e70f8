// The normalized `grpc:` step (`Step.spec` of kind "grpc"): what normalize.ts makes of the YAML
// and compile.ts turns into a call per VU. Templates are compiled, defaults merged.
import type { CheckSpec, ExtractSpec, JsonTemplate, Ms, Template } from "../../../config/plan.ts";
import type { CallKind } from "../proto-root.ts";

/** TLS of a channel; absent on a spec means plaintext (h2c). */
export interface GrpcTls {
  insecure: boolean;
  /** PEM text of the CA certificates (the plan's `defaults.tls.ca`). */
  ca?: string;
  serverName?: string;
}

export interface GrpcSpec {
  /** Metric tag `name`: the explicit name, or the method. */
  name: string;
  tags: Record<string, string>;
  /** `host:port`. */
  target: Template;
  /** The .proto data file, plan-relative as written (shipped with the plan, with its imports). */
  proto: string;
  /** `package.Service/Method`: the `method` metric tag. */
  method: string;
  /** Known at load from the proto. */
  kind: CallKind;
  metadata: Array<[string, Template]>;
  /** The request of a unary or server-streaming call. */
  message: JsonTemplate;
  /** The requests of a client-streaming or bidirectional call, in order. */
  send: JsonTemplate[];
  /** How many response messages a streaming call waits for (undefined: until the server ends it). */
  receiveCount?: number;
  /** The call's deadline: `stream.receive.timeout`, else `timeout`. */
  timeout: Ms;
  tls?: GrpcTls;
  checks: CheckSpec[];
  extract: ExtractSpec[];
}
