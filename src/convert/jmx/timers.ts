// Timers → `sleep:` steps before every request in their scope (JMeter pauses before each sampler
// a timer applies to, the sum of all of them). Pure.
// - Constant Timer (`ConstantTimer.delay`, ms) → `sleep: DELAY`.
// - Uniform Random Timer (offset `ConstantTimer.delay` + `RandomTimer.range` × [0, 1)) →
//   `sleep: { min: offset, max: offset + range }`.
// - Gaussian Random Timer (offset + a normal deviation `RandomTimer.range`) → the uniform range
//   offset ± deviation (loadr's random sleep is uniform: same mean, noted).
import type { JmxContext, Located } from "./context.ts";
import { shortClass } from "./labels.ts";
import { str } from "./props.ts";
import { millis } from "./thread-groups.ts";
import { staticText, translate } from "./text.ts";

export const TIMERS = new Set(["ConstantTimer", "UniformRandomTimer", "GaussianRandomTimer"]);

export function sleepOf(at: Located, ctx: JmxContext): Record<string, unknown> | undefined {
  const ms = (name: string): number | undefined => {
    const raw = str(at.el, name, "0").trim() || "0";
    const text = staticText(translate(raw, ctx.loadTime(at)));
    const n = text === undefined ? Number.NaN : Number(text);
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  const delay = ms("ConstantTimer.delay");
  const range = shortClass(at.el) === "ConstantTimer" ? 0 : ms("RandomTimer.range");
  if (delay === undefined || range === undefined) {
    ctx.dropped(at, `the delay "${str(at.el, "ConstantTimer.delay")}" / range "${str(at.el, "RandomTimer.range")}" is not a number of milliseconds known before the run`);
    return undefined;
  }
  switch (shortClass(at.el)) {
    case "ConstantTimer":
      ctx.mapped(at);
      return { sleep: millis(delay) };
    case "UniformRandomTimer":
      ctx.mapped(at);
      return range > 0 ? { sleep: { min: millis(delay), max: millis(delay + range) } } : { sleep: millis(delay) };
    default:
      ctx.mapped(at, `a uniform pause between ${millis(Math.max(0, delay - range))} and ${millis(delay + range)} (JMeter's is normally distributed around ${millis(delay)})`);
      return range > 0 ? { sleep: { min: millis(Math.max(0, delay - range)), max: millis(delay + range) } } : { sleep: millis(delay) };
  }
}
