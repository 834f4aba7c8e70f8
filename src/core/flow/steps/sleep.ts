// `sleep: 1s` or `sleep: { min: 1s, max: 3s }`: waits a fixed time, or a uniformly random one in
// [min, max] (from the VU's `random`). An abort ends the wait at once (realClock.sleep).
import type { Ms } from "../../../config/plan.ts";
import { byType, duration, strict } from "../../../config/schema/helpers.ts";
import { isRecord, ms, str } from "../../../config/normalize/context.ts";
import type { StepKind } from "../../../plugin-api/types.ts";
import { realClock } from "../../clock.ts";

export interface SleepSpec {
  min: Ms;
  max: Ms;
}

export const sleepStep: StepKind<SleepSpec> = {
  key: "sleep",
  schema: () =>
    strict(
      { sleep: byType("a duration or { min, max }", { string: duration, number: duration, object: strict({ min: duration, max: duration }, "sleep") }) },
      "sleep step",
    ),
  normalize(raw, path, { ctx }) {
    const sleep = raw.sleep;
    if (isRecord(sleep)) {
      const min = ms(sleep.min, 0);
      const max = ms(sleep.max, min);
      if (min > max) ctx.issues.error([...path, "sleep"], `min ${str(sleep.min)} is greater than max ${str(sleep.max)}`);
      return { min, max };
    }
    const d = ms(sleep, 0);
    return { min: d, max: d };
  },
  compile({ min, max }, loc) {
    return {
      kind: "sleep",
      loc,
      run(vu, signal) {
        const wait = max > min ? min + vu.random() * (max - min) : min;
        return wait > 0 ? realClock.sleep(wait, signal) : undefined;
      },
    };
  },
};
