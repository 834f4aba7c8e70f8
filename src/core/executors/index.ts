// Looking up an executor in the registry the caller passes (core holds no map; the built-ins are
// gathered in src/executors/registry.ts). Pure.
import type { ExecutorConfig } from "../../config/plan.ts";
import type { Segment } from "../segment.ts";
import type { ExecutorContext, ExecutorDefinition, ExecutorOutcome, ExecutorPlan } from "./types.ts";

export type ExecutorRegistry = Readonly<Record<string, ExecutorDefinition<any, any>>>;

/** The definition of executor `type`; throws when the registry lacks it (the plan was loaded with another registry: a bug). */
export function executorOf(type: string, executors: ExecutorRegistry): ExecutorDefinition {
  const definition = Object.hasOwn(executors, type) ? executors[type] : undefined;
  if (!definition) throw new Error(`no executor "${type}" in this engine's registry (it has: ${Object.keys(executors).join(", ")})`);
  return definition;
}

/** PURE: the plan of `config` for `segment`. */
export function planExecutor(config: ExecutorConfig, segment: Segment, executors: ExecutorRegistry): ExecutorPlan {
  return executorOf(config.type, executors).plan(config, segment);
}

/** Runs a plan made by `planExecutor`. */
export function runExecutor(plan: ExecutorPlan, ctx: ExecutorContext, executors: ExecutorRegistry): Promise<ExecutorOutcome> {
  return executorOf(plan.type, executors).run(plan, ctx);
}

export type * from "./types.ts";
