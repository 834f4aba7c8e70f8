// `loadr run`'s k6 flags that change the plan, parsed into PlanOverrides (config/overrides.ts
// applies them, and names these flags in any problem with their values): --vus, --duration,
// --iterations, --stage/-s DURATION:TARGET (repeatable, or comma-separated as k6's K6_STAGES),
// --scenario, --tag NAME=VALUE (repeatable), --summary-trend-stats LIST, --no-thresholds.
// Only the shape of a value is checked here (a stage needs its colon); its meaning (a whole
// number of VUs, a duration) is checked by the plan schema, as if written in the plan.
import type { PlanOverrides } from "../../config/overrides.ts";
import { ConfigError } from "../../shared/errors.ts";
import { repeatedFlag } from "./repeated-flag.ts";

interface K6Args {
  vus?: string;
  duration?: string;
  iterations?: string;
  scenario?: string;
  /** Already resolved against its environment variable. */
  summaryTrendStats?: string;
  noThresholds: boolean;
}

/** The overrides the flags ask for; undefined when there are none. */
export function overridesFromFlags(args: K6Args, rawArgs: readonly string[]): PlanOverrides | undefined {
  const load: Record<string, unknown> = {};
  if (args.vus !== undefined) load.vus = numberish(args.vus);
  if (args.duration !== undefined) load.duration = args.duration;
  if (args.iterations !== undefined) load.iterations = numberish(args.iterations);
  const stages = repeatedFlag(rawArgs, ["--stage", "-s"]).flatMap((value) => parseStages(value));
  if (stages.length > 0) load.stages = stages;
  const tags = parseTags(repeatedFlag(rawArgs, ["--tag"]));
  const overrides: PlanOverrides = {
    ...(Object.keys(load).length > 0 ? { load } : {}),
    ...(args.scenario !== undefined ? { scenario: args.scenario } : {}),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
    ...(args.summaryTrendStats !== undefined ? { summaryTrendStats: parseTrendStats(args.summaryTrendStats) } : {}),
    ...(args.noThresholds ? { noThresholds: true } : {}),
  };
  return Object.keys(overrides).length > 0 ? overrides : undefined;
}

/** A number when the text is one, else the text (the schema then says what it expected). */
function numberish(text: string): number | string {
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : text;
}

function parseStages(value: string | undefined): Array<{ duration: string; target: number | string }> {
  const text = value ?? "";
  return text.split(",").map((part) => {
    const colon = part.lastIndexOf(":");
    if (colon <= 0 || colon === part.length - 1) {
      throw new ConfigError(`--stage expects DURATION:TARGET, got "${part}"`, "e.g. --stage 30s:20 --stage 1m:0 (ramp to 20 VUs over 30 s, then to 0 over a minute)");
    }
    return { duration: part.slice(0, colon).trim(), target: numberish(part.slice(colon + 1).trim()) };
  });
}

function parseTags(values: Array<string | undefined>): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of values) {
    const eq = pair?.indexOf("=") ?? -1;
    if (pair === undefined || eq <= 0) throw new ConfigError(`--tag expects NAME=VALUE, got "${pair ?? ""}"`, "e.g. --tag env=staging (repeatable)");
    tags[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return tags;
}

function parseTrendStats(text: string): string[] {
  const stats = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (stats.length === 0) throw new ConfigError("--summary-trend-stats needs at least one stat", 'e.g. --summary-trend-stats "avg,min,med,max,p(90),p(95),p(99.9)"');
  return stats;
}
