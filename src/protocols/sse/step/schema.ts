// Schema of the `sse:` step (shapes only; normalize.ts compiles the values). Checks are the shared
// kinds plus the protocol's own `event` (checks.ts); extractions the shared kinds.
import type { StepSchemaContext } from "../../../config/syntax.ts";
import { bool, duration, int, map, optional, scalar, str, strict, type Schema } from "../../../config/schema/helpers.ts";
import { SSE_CHECKS } from "../checks.ts";

const sse = (sc: StepSchemaContext): Schema =>
  strict(
    {
      name: optional(str()),
      url: str("a URL (absolute, or relative to baseUrl)"),
      headers: optional(map(scalar, "header values")),
      until: optional(strict({ events: optional(int(1, 1_000_000)), timeout: optional(duration) }, "until")),
      timeout: optional(duration),
      insecure: optional(bool),
      checks: optional(sc.checks(SSE_CHECKS)),
      extract: optional(sc.extractions()),
    },
    "sse step",
  );

/** The whole step map: `- sse: { … }`. */
export const sseStepSchema = (sc: StepSchemaContext): Schema => strict({ sse: sse(sc) }, "sse step");
