// Thread groups → a scenario's executor and its options (src/executors/). Pure.
//
// - Thread Group (and setUp/tearDown): `ThreadGroup.num_threads` threads, the main Loop
//   Controller's `LoopController.loops` (-1: forever), `ThreadGroup.ramp_time` (s), and with
//   `ThreadGroup.scheduler` on, `ThreadGroup.duration` / `ThreadGroup.delay` (s).
//     loops N                 → per-vu-iterations { vus, iterations: N } (+ maxDuration: duration)
//     forever + duration      → constant-vus { vus, duration }, or with a ramp-up
//                               ramping-vus { stages: [ramp-up to vus, hold for the rest] }
//     delay                   → startTime
// - Concurrency Thread Group (TargetLevel, RampUp, Steps, Hold, Unit S|M) → ramping-vus.
// - Arrivals Thread Group (TargetLevel arrivals per Unit, RampUp, Steps, Hold, ConcurrencyLimit)
//   → ramping-arrival-rate.
// - Ultimate Thread Group (rows of threads, initial delay, startup, hold, shutdown, in seconds)
//   → ramping-vus whose stages are the sum of the rows' trapezoids.
// Numbers written as `${__P(name,default)}` take the default (noted): executor options are numbers.
import type { JmxContext, Located } from "./context.ts";
import { shortClass } from "./labels.ts";
import { bool, collection, element, str } from "./props.ts";
import { staticText, translate, usesProperty } from "./text.ts";

export type Executor = Record<string, unknown>;

/** Scenario length used for a group that JMeter runs until it is stopped. */
const FOREVER = "1h";

/** The thread group classes this module maps. */
export const THREAD_GROUPS = new Set(["ThreadGroup", "SetupThreadGroup", "PostThreadGroup", "ConcurrencyThreadGroup", "ArrivalsThreadGroup", "UltimateThreadGroup"]);

/** The group's executor and options, or undefined when it cannot run (noted). */
export function executorOf(at: Located, ctx: JmxContext): Executor | undefined {
  switch (shortClass(at.el)) {
    case "ConcurrencyThreadGroup":
      return concurrency(at, ctx);
    case "ArrivalsThreadGroup":
      return arrivals(at, ctx);
    case "UltimateThreadGroup":
      return ultimate(at, ctx);
    default:
      return threadGroup(at, ctx);
  }
}

function threadGroup(at: Located, ctx: JmxContext): Executor {
  const { el } = at;
  const threads = Math.max(1, Math.round(numberOf(at, ctx, "ThreadGroup.num_threads", "threads", 1)));
  const ramp = Math.max(0, numberOf(at, ctx, "ThreadGroup.ramp_time", "ramp-up", 0));
  const main = element(el, "ThreadGroup.main_controller");
  const loopsText = main ? str(main, "LoopController.loops", "1") : "1";
  const forever = (main !== undefined && bool(main, "LoopController.continue_forever") && loopsText.trim() === "-1") || loopsText.trim() === "-1";
  const loops = forever ? -1 : Math.max(1, Math.round(numberText(at, ctx, loopsText, "loops", 1)));
  const scheduler = bool(el, "ThreadGroup.scheduler");
  const duration = scheduler ? numberOf(at, ctx, "ThreadGroup.duration", "duration", 0) : 0;
  const delay = scheduler ? numberOf(at, ctx, "ThreadGroup.delay", "startup delay", 0) : 0;
  const start = delay > 0 ? { startTime: seconds(delay) } : {};
  const cls = shortClass(el);
  if (cls !== "ThreadGroup") {
    ctx.mapped(at, `runs alongside the other scenarios: JMeter runs a ${cls === "SetupThreadGroup" ? "setUp group before" : "tearDown group after"} the others`);
  }
  const onError = str(el, "ThreadGroup.on_sample_error", "continue");
  if (onError !== "continue") {
    ctx.dropped(at, `"action after a sampler error" is ${onError}: loadr goes on with the iteration after a failed check`, `on sample error`);
  }
  if (scheduler && duration <= 0 && loops === -1) ctx.dropped(at, `the scheduler has no duration (an end time is not mapped): ${FOREVER} written`, "scheduler end time");

  if (loops !== -1) {
    if (ramp > 0 && threads > 1) {
      ctx.dropped(at, `per-vu-iterations starts all ${threads} VUs at once; JMeter starts them over ${seconds(ramp)}`, `ramp-up ${seconds(ramp)}`);
    }
    return { executor: "per-vu-iterations", ...start, vus: threads, iterations: loops, ...(duration > 0 ? { maxDuration: seconds(duration) } : {}) };
  }
  if (!scheduler || duration <= 0) {
    if (!scheduler) ctx.dropped(at, `loops forever without a scheduler (JMeter runs until stopped): duration ${FOREVER} written`, "infinite loop");
    return ramp > 0
      ? { executor: "ramping-vus", ...start, startVUs: 0, stages: [{ duration: seconds(ramp), target: threads }, { duration: FOREVER, target: threads }] }
      : { executor: "constant-vus", ...start, vus: threads, duration: FOREVER };
  }
  if (ramp <= 0) return { executor: "constant-vus", ...start, vus: threads, duration: seconds(duration) };
  const hold = Math.max(0, duration - ramp);
  const stages = [{ duration: seconds(Math.min(ramp, duration)), target: threads }];
  if (hold > 0) stages.push({ duration: seconds(hold), target: threads });
  return { executor: "ramping-vus", ...start, startVUs: 0, stages };
}

/** blazemeter Concurrency Thread Group: a concurrency target reached over RampUp (in Steps), held for Hold. */
function concurrency(at: Located, ctx: JmxContext): Executor {
  const unit = str(at.el, "Unit", "S").trim().toUpperCase() === "M" ? 60 : 1;
  const target = Math.max(1, Math.round(numberOf(at, ctx, "TargetLevel", "target concurrency", 1)));
  const ramp = numberOf(at, ctx, "RampUp", "ramp-up", 0) * unit;
  const steps = Math.max(0, Math.round(numberOf(at, ctx, "Steps", "ramp-up steps", 0)));
  const hold = numberOf(at, ctx, "Hold", "hold", 0) * unit;
  const iterations = str(at.el, "Iterations").trim();
  if (iterations !== "") ctx.dropped(at, `ramping-vus has no iteration limit: JMeter stops after ${iterations} iterations per thread`, "thread iterations limit");
  return { executor: "ramping-vus", startVUs: 0, stages: rampStages(target, ramp, steps, hold) };
}

/** blazemeter Arrivals Thread Group: an arrival rate (per Unit) reached over RampUp (in Steps), held for Hold. */
function arrivals(at: Located, ctx: JmxContext): Executor {
  const unitMinutes = str(at.el, "Unit", "S").trim().toUpperCase() === "M";
  const unit = unitMinutes ? 60 : 1;
  const target = Math.max(0, numberOf(at, ctx, "TargetLevel", "target rate", 1));
  const ramp = numberOf(at, ctx, "RampUp", "ramp-up", 0) * unit;
  const steps = Math.max(0, Math.round(numberOf(at, ctx, "Steps", "ramp-up steps", 0)));
  const hold = numberOf(at, ctx, "Hold", "hold", 0) * unit;
  const limit = Math.round(numberOf(at, ctx, "ConcurrencyLimit", "concurrency limit", 0));
  const iterations = str(at.el, "Iterations").trim();
  if (iterations !== "") ctx.dropped(at, `ramping-arrival-rate has no total iteration limit: JMeter stops after ${iterations} arrivals`, "arrivals limit");
  const perSecond = unitMinutes ? target / 60 : target;
  const preAllocated = Math.max(1, Math.min(limit > 0 ? limit : 100, Math.ceil(perSecond)));
  if (limit <= 0) ctx.mapped(at, `no concurrency limit: maxVUs ${Math.max(preAllocated, 100)} written`, "concurrency limit");
  return {
    executor: "ramping-arrival-rate",
    startRate: 0,
    timeUnit: unitMinutes ? "1m" : "1s",
    preAllocatedVUs: preAllocated,
    maxVUs: limit > 0 ? limit : Math.max(preAllocated, 100),
    stages: rampStages(target, ramp, steps, hold),
  };
}

/** Stages to `target` over `ramp` seconds (linear, or in `steps` jumps), then `hold` seconds. */
function rampStages(target: number, ramp: number, steps: number, hold: number): Array<{ duration: string; target: number }> {
  const stages: Array<{ duration: string; target: number }> = [];
  if (ramp > 0 && steps > 1) {
    for (let k = 1; k <= steps; k++) {
      const level = Math.round((target * k) / steps);
      stages.push({ duration: "0s", target: level }, { duration: seconds(ramp / steps), target: level });
    }
  } else if (ramp > 0) {
    stages.push({ duration: seconds(ramp), target });
  } else {
    stages.push({ duration: "0s", target });
  }
  if (hold > 0) stages.push({ duration: seconds(hold), target });
  return stages;
}

/** kg.apc Ultimate Thread Group: rows of [threads, initial delay, startup, hold, shutdown] summed over time. */
function ultimate(at: Located, ctx: JmxContext): Executor | undefined {
  const rows = collection(at.el, "ultimatethreadgroupdata")
    .map((row) => row.props.map((cell) => numberText(at, ctx, cell.text, "schedule value", 0)))
    .filter((row) => row.length >= 5)
    .map(([threads, delay, startup, hold, shutdown]) => ({ threads: Math.max(0, Math.round(threads!)), delay: delay!, startup: startup!, hold: hold!, shutdown: shutdown! }));
  if (rows.length === 0) {
    ctx.dropped(at, "the schedule has no rows: no scenario written");
    return undefined;
  }
  // Each row's thread count is piecewise linear in time (right-continuous: a row with no
  // startup jumps at its delay); so is the sum, with breaks at every row's. A jump is a 0s stage.
  const level = (t: number) =>
    rows.reduce((sum, r) => {
      const full = r.delay + r.startup;
      const down = full + r.hold;
      const end = down + r.shutdown;
      if (t < r.delay || t >= end) return sum;
      if (t < full) return sum + (r.threads * (t - r.delay)) / r.startup;
      if (t < down) return sum + r.threads;
      return sum + r.threads * (1 - (t - down) / r.shutdown);
    }, 0);
  const breaks = [...new Set(rows.flatMap((r) => [r.delay, r.delay + r.startup, r.delay + r.startup + r.hold, r.delay + r.startup + r.hold + r.shutdown]))]
    .filter((t) => t > 0)
    .sort((a, b) => a - b);
  const stages: Array<{ duration: string; target: number }> = [];
  let previous = 0;
  for (const t of breaks) {
    const before = Math.round(level(t - Math.min(1e-6, (t - previous) / 2)));
    const after = Math.round(level(t));
    stages.push({ duration: seconds(t - previous), target: before });
    if (after !== before) stages.push({ duration: "0s", target: after });
    previous = t;
  }
  return { executor: "ramping-vus", startVUs: Math.round(level(0)), stages };
}

function numberOf(at: Located, ctx: JmxContext, property: string, what: string, fallback: number): number {
  return numberText(at, ctx, str(at.el, property), what, fallback);
}

function numberText(at: Located, ctx: JmxContext, raw: string, what: string, fallback: number): number {
  const text = raw.trim();
  if (text === "") return fallback;
  const parts = translate(text, ctx.loadTime(at));
  const value = staticText(parts);
  const n = value === undefined ? Number.NaN : Number(value.trim());
  if (!Number.isFinite(n)) {
    ctx.dropped(at, `${what} "${text}" is not a number known before the run: ${fallback} written`, `${what}`);
    return fallback;
  }
  const properties = usesProperty(parts);
  if (properties.length > 0) {
    ctx.mapped(at, `${what} from the JMeter property ${properties.join(", ")}: its default ${n} written (set it in the plan or with loadr run's flags)`, `${what}`);
  }
  return n;
}

/** Seconds as a loadr duration: "90s", "2m", "1.5s" → "1500ms". */
export function seconds(s: number): string {
  return millis(s * 1000);
}

/** Milliseconds as a loadr duration. */
export function millis(ms: number): string {
  const whole = Math.round(ms);
  if (whole % 60_000 === 0 && whole >= 60_000) return `${whole / 60_000}m`;
  if (whole % 1000 === 0) return `${whole / 1000}s`;
  return `${whole}ms`;
}
