// `duration: { below: 500ms }`: the response's `timings.duration` is below `below` (ms).
import type { Ms } from "../../config/plan.ts";
import { duration, strict } from "../../config/schema/helpers.ts";
import { checkMap } from "../../config/schema/checks.ts";
import { ms, rec, str } from "../../config/normalize/context.ts";
import type { CheckKind } from "../../plugin-api/types.ts";

export interface DurationCheck {
  below: Ms;
}

export const durationCheck: CheckKind<DurationCheck> = {
  key: "duration",
  schema: checkMap({ duration: strict({ below: duration }, "duration check") }, "duration check"),
  normalize(raw) {
    const below = rec(raw.duration).below;
    return { spec: { below: ms(below, 0) }, name: `duration below ${str(below) ?? ""}` };
  },
  evaluate: (spec, response) => response.timings.duration < spec.below,
};
