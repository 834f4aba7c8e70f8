// `loadr validate PLAN [--env K=V ...] [--plugin FILE ...]`: load the plan (and its plugins) the
// way `run` would, without running it.
// Unset env vars are warnings here (a plan can be checked in CI without its secrets).
// Exit 0 when valid, 104 (EXIT_INVALID_CONFIG) with every problem listed otherwise.
import { defineCommand } from "citty";
import { resolve } from "node:path";
import { realIO, type ProcessIO } from "../io.ts";
import { envFromArgs } from "../run/env-args.ts";
import { parseDataSize } from "../run/data-size.ts";
import { EXIT_INVALID_CONFIG, EXIT_OK } from "../../shared/exit-codes.ts";
import { loadPlanFileWithPlugins } from "../../plugin-api/load-plan.ts";
import { pluginFlags } from "../run/plugin-flags.ts";
import { formatIssue, formatIssues } from "../../config/issues.ts";
import type { TestPlan } from "../../config/plan.ts";
import { BUILTINS } from "../../builtins.ts";

export default defineCommand({
  meta: { name: "validate", description: "Check a plan and report every problem with file:line:col" },
  args: {
    plan: { type: "positional", description: "The plan (YAML)", required: true },
    env: { type: "string", alias: "e", description: "NAME=VALUE for ${env.NAME}; repeatable" },
    "max-data-size": { type: "string", description: "Largest data file (CSV, body, CA, proto) the plan may read, e.g. 512MiB (default 256MiB)" },
    plugin: { type: "string", description: "A plugin to load beside the plan's plugins: (.ts/.js, .wasm, .so/.dylib/.dll); repeatable" },
  },
  run({ args, rawArgs }) {
    const io = realIO();
    const maxDataBytes = args["max-data-size"] !== undefined ? parseDataSize(args["max-data-size"]) : undefined;
    const plugins = pluginFlags(rawArgs, io.cwd, resolve(io.cwd, args.plan));
    return validatePlan(args.plan, envFromArgs(rawArgs, io.env), io, maxDataBytes, plugins);
  },
});

/** The command's work, with injected IO (tests call this). Returns the exit code. */
export async function validatePlan(planArg: string, env: Record<string, string | undefined>, io: ProcessIO, maxDataBytes?: number, plugins: string[] = []): Promise<number> {
  const options = { mode: "validate" as const, modules: BUILTINS, ...(maxDataBytes !== undefined ? { maxDataBytes } : {}) };
  const loaded = await loadPlanFileWithPlugins(resolve(io.cwd, planArg), env, options, plugins.length > 0 ? { plugins } : undefined);
  // The plan as the user named it; other files under the current directory (plugins) relative to it.
  const shown = (text: string) => text.split(resolve(io.cwd, planArg)).join(planArg).split(`${resolve(io.cwd)}/`).join("");
  if (!loaded.ok) {
    io.stderr.write(shown(formatIssues(loaded.issues, `✗ ${planArg} is not valid: ${count(loaded.issues.length, "problem")}`)));
  } else {
    io.stdout.write(`✓ ${planArg} is valid: ${summary(loaded.plan)}\n`);
  }
  for (const warning of loaded.warnings) io.stderr.write(shown(`warning: ${formatIssue(warning)}\n`));
  return loaded.ok ? EXIT_OK : EXIT_INVALID_CONFIG;
}

function summary(plan: TestPlan): string {
  const scenarios = plan.scenarios.map((s) => `${s.name}: ${s.executor.type}`).join(", ");
  return `${count(plan.scenarios.length, "scenario")} (${scenarios}), ${count(plan.thresholds.length, "threshold")}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
