// Schema of the `tcp:` step (shapes only; normalize.ts compiles the values). `expect` reads one
// reply (`until` a delimiter or `length` bytes, else the first bytes that arrive) and checks it
// with `contains`/`matches`; `checks:`/`extract:` are the shared kinds on the reply as the body.
import type { StepSchemaContext } from "../../../config/syntax.ts";
import { bool, byType, duration, int, optional, regex, scalar, str, strict, tags, type Schema } from "../../../config/schema/helpers.ts";
import { payloadSchema } from "../payload.ts";

/** `tls: true`, or its options (as under `defaults:`). */
export const tlsSchema: Schema = byType("true, false or TLS options {insecure, serverName}", {
  boolean: bool,
  object: strict({ insecure: optional(bool), serverName: optional(str()) }, "tls"),
});

const expect: Schema = strict(
  {
    until: optional(str("a delimiter (text)")),
    length: optional(int(1, 1 << 20)),
    contains: optional(scalar),
    matches: optional(regex),
    timeout: optional(duration),
  },
  "tcp expect",
);

const tcp = (sc: StepSchemaContext): Schema =>
  strict(
    {
      name: optional(str()),
      tags: optional(tags),
      target: str("a target host:port"),
      tls: optional(tlsSchema),
      send: payloadSchema,
      expect: optional(expect),
      timeout: optional(duration),
      connectTimeout: optional(duration),
      keepAlive: optional(bool),
      checks: optional(sc.checks()),
      extract: optional(sc.extractions()),
    },
    "tcp",
  );

export const tcpStepSchema = (sc: StepSchemaContext): Schema => strict({ tcp: tcp(sc) }, "tcp step");
