// k6's execution shortcuts, mapped exactly as k6 maps them (its `DeriveScenariosFromShortcuts`):
//   iterations (+ vus, + duration)  → shared-iterations { vus, iterations, maxDuration: duration }
//   duration (+ vus)                → constant-vus { vus, duration }   (duration must be > 0)
//   stages (+ vus)                  → ramping-vus { startVUs: vus, stages }
//   vus alone                       → shared-iterations { vus, iterations: vus }
//   nothing                         → per-vu-iterations (1 VU, 1 iteration)
// iterations or duration with stages is a conflict. Unset options keep the executor's own
// defaults (k6's). Used for the plan's top-level keys and `loadr run --vus/--duration/…`.
import type { ShortcutScenario, ShortcutSyntax } from "../config/syntax.ts";
import { parseDuration } from "../config/duration.ts";
import { duration, int, optional } from "../config/schema/helpers.ts";
import { stages } from "../config/schema/executor-options.ts";
import { constantVus } from "./constant-vus.ts";
import { perVuIterations } from "./per-vu-iterations.ts";
import { rampingVus } from "./ramping-vus.ts";
import { sharedIterations } from "./shared-iterations.ts";

/** An executor and its options taken from shortcut keys (`[option, key]`), those that are set. */
function scenario(executor: string, values: Readonly<Record<string, unknown>>, from: ReadonlyArray<readonly [string, string]>): ShortcutScenario {
  const options = from.filter(([, key]) => values[key] !== undefined).map(([option, key]) => ({ key: option, from: key }));
  return { ok: true, options: [{ key: "executor", value: executor }, ...options] };
}

const both = (a: string, b: string): ShortcutScenario => ({
  ok: false,
  key: b,
  message: `${a} and ${b} both set the load model`,
  hint: `use one: ${a === "iterations" ? "iterations (shared-iterations)" : "duration (constant-vus)"} or stages (ramping-vus)`,
});

export const K6_SHORTCUTS: ShortcutSyntax = {
  options: { vus: optional(int(0)), duration: optional(duration), iterations: optional(int(1)), stages },
  models: ["duration", "iterations", "stages"],
  derive(values) {
    const has = (key: string) => values[key] !== undefined;
    if (has("iterations")) {
      if (has("stages")) return both("iterations", "stages");
      return scenario(sharedIterations.type, values, [["vus", "vus"], ["iterations", "iterations"], ["maxDuration", "duration"]]);
    }
    if (has("duration")) {
      if (has("stages")) return both("duration", "stages");
      const ms = parseDuration(values.duration);
      if (typeof ms === "number" && ms <= 0) {
        return { ok: false, key: "duration", message: "duration must be more than 0", hint: "for a run that only a stop ends, write a scenario with the externally-controlled executor" };
      }
      return scenario(constantVus.type, values, [["vus", "vus"], ["duration", "duration"]]);
    }
    if (has("stages")) return scenario(rampingVus.type, values, [["startVUs", "vus"], ["stages", "stages"]]);
    if (has("vus")) return scenario(sharedIterations.type, values, [["vus", "vus"], ["iterations", "vus"]]);
    return scenario(perVuIterations.type, values, []);
  },
};
