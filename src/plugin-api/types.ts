// The extension contract: the types built-ins and plugins register through. A registry entry
// carries everything the rest of the system needs: its schema and normalizer (config/syntax.ts),
// its runtime (core/modules.ts), its metric definitions. A new protocol, executor, output or step
// kind is a new folder plus one line in a registry map (src/protocols/registry.ts,
// src/executors/registry.ts, src/outputs/registry.ts, core/flow/steps/index.ts); src/builtins.ts
// gathers the maps into the one `Modules` value the CLI, workers and agents use.
import type { ExecutorConfig } from "../config/plan.ts";
import type { ExecutorSyntax, ShortcutSyntax, StepSyntax } from "../config/syntax.ts";
import type { ProtocolRuntime, StepRuntime } from "../core/modules.ts";
import type { ExecutorDefinition, ExecutorPlan } from "../core/executors/types.ts";
import type { MetricDefinition } from "../metrics/types.ts";
import type { OutputModule } from "../outputs/types.ts";

/** A step kind: its syntax (schema, normalize) and its runtime (compile → run). */
export interface StepKind<S = unknown> extends StepSyntax<S>, StepRuntime<S> {}

/** A protocol: the steps it adds, the metrics it records, the sessions it opens. */
export interface ProtocolModule extends ProtocolRuntime {
  readonly steps: Readonly<Record<string, StepKind<any>>>;
}

/** An executor: syntax (options, normalize, duration) and runtime (pure plan, run). */
export interface ExecutorModule<C extends ExecutorConfig = ExecutorConfig, P extends ExecutorPlan = ExecutorPlan>
  extends ExecutorSyntax<C>,
    ExecutorDefinition<C, P> {}

/** Every module a run may use. Satisfies both `PlanSyntax` (config) and `EngineModules` (core). */
export interface Modules {
  readonly steps: Readonly<Record<string, StepKind<any>>>;
  readonly protocols: Readonly<Record<string, ProtocolModule>>;
  readonly executors: Readonly<Record<string, ExecutorModule<any, any>>>;
  readonly outputs: Readonly<Record<string, OutputModule>>;
  /** Metrics every run has whatever its protocols (iterations, checks, vus …). */
  readonly metrics: readonly MetricDefinition[];
  /** k6's top-level load-model shortcuts (src/executors/shortcuts.ts); extra modules do not replace them. */
  readonly shortcuts: ShortcutSyntax;
}
