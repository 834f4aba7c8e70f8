// Schema of the `grpc:` step (shapes only; normalize.ts reads the proto and compiles the values).
// Checks: the shared kinds plus the protocol's own `grpcStatus`; extractions: the shared kinds.
import * as v from "valibot";
import type { StepSchemaContext } from "../../../config/syntax.ts";
import { bool, byType, duration, int, list, map, optional, scalar, str, strict, tags, type Schema } from "../../../config/schema/helpers.ts";
import { GRPC_CHECKS } from "../status-check.ts";

const message: Schema = v.record(v.string(), v.unknown()) as unknown as Schema;
const messageMap: Schema = byType("a message (a map of its fields)", { object: message });

const tls: Schema = byType("true, or TLS options { insecure, serverName }", {
  boolean: bool,
  object: strict({ insecure: optional(bool), serverName: optional(str()) }, "grpc tls"),
});

const stream: Schema = strict(
  {
    send: optional(list(messageMap, "messages to send")),
    receive: optional(strict({ count: optional(int(0)), timeout: optional(duration) }, "stream receive")),
  },
  "grpc stream",
);

const grpc = (sc: StepSchemaContext): Schema =>
  strict(
    {
      name: optional(str()),
      tags: optional(tags),
      target: str("a target, host:port"),
      tls: optional(tls),
      proto: str("a .proto file, relative to the plan"),
      method: str("a method, package.Service/Method"),
      metadata: optional(map(scalar, "metadata values")),
      message: optional(messageMap),
      stream: optional(stream),
      timeout: optional(duration),
      checks: optional(sc.checks(GRPC_CHECKS)),
      extract: optional(sc.extractions()),
    },
    "grpc",
  );

/** The whole step map: `- grpc: { … }`. */
export const grpcStepSchema = (sc: StepSchemaContext): Schema => strict({ grpc: grpc(sc) }, "grpc step");
