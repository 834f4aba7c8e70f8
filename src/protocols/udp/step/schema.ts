// Schema of the `udp:` step (shapes only; normalize.ts compiles the values): one datagram sent,
// and with `expect:` one reply awaited (`timeout`) and checked with `contains`/`matches`.
import type { StepSchemaContext } from "../../../config/syntax.ts";
import { duration, optional, regex, scalar, str, strict, tags, type Schema } from "../../../config/schema/helpers.ts";
import { payloadSchema } from "../../tcp/payload.ts";

const expect: Schema = strict({ contains: optional(scalar), matches: optional(regex), timeout: optional(duration) }, "udp expect");

const udp = (sc: StepSchemaContext): Schema =>
  strict(
    {
      name: optional(str()),
      tags: optional(tags),
      target: str("a target host:port"),
      send: payloadSchema,
      expect: optional(expect),
      timeout: optional(duration),
      checks: optional(sc.checks()),
      extract: optional(sc.extractions()),
    },
    "udp",
  );

export const udpStepSchema = (sc: StepSchemaContext): Schema => strict({ udp: udp(sc) }, "udp step");
