// The extension contract: the types built-ins and plugins register through. A registry entry
// carries everything the rest of the system needs: its schema and normalizer (config/syntax.ts),
// its runtime (core/modules.ts), its metric definitions. A new protocol, executor, output, step,
// check, extraction kind or template function is a new folder or file plus one line in a
// registry map (src/protocols/registry.ts, src/executors/registry.ts, src/outputs/registry.ts,
// core/flow/steps/index.ts, core/checks/index.ts, core/extract/index.ts,
// config/expression/functions.ts); src/builtins.ts gathers the maps, as a plugin definition
// (sdk.ts), into the one `Modules` value the CLI, workers and agents use, and plugin files
// (load-plugins.ts) are merged over it by the same `mergeModules` (merge.ts).
import type { ExecutorConfig } from "../config/plan.ts";
import type { CheckSyntax, ExecutorSyntax, ExtractSyntax, ShortcutSyntax, StepSyntax } from "../config/syntax.ts";
import type { CheckRuntime, ExtractRuntime, ProtocolRuntime, StepRuntime } from "../core/modules.ts";
import type { ExecutorDefinition, ExecutorPlan } from "../core/executors/types.ts";
import type { MetricDefinition } from "../metrics/types.ts";
import type { OutputModule } from "../outputs/types.ts";
import type { TemplateFunctions } from "../config/expression/functions.ts";

/** A step kind: its syntax (schema, normalize) and its runtime (compile → run). */
export interface StepKind<S = unknown> extends StepSyntax<S>, StepRuntime<S> {}

/**
 * A check kind: its syntax (schema, normalize → spec and default name) and its runtime
 * (evaluate). Shared kinds are in core/checks/index.ts; a protocol lists its own in `checks`.
 */
export interface CheckKind<S = unknown> extends CheckSyntax<S>, CheckRuntime<S> {}

/** An extraction kind: syntax (schema, normalize) and runtime (extract, describe). */
export interface ExtractKind<S = unknown> extends ExtractSyntax<S>, ExtractRuntime<S> {}

/**
 * A protocol: the steps it adds, its own check and extraction kinds (accepted by its steps beside
 * the shared ones; keys are one namespace with the shared kinds and every other protocol's), the
 * metrics it records, the sessions it opens.
 */
export interface ProtocolModule extends ProtocolRuntime {
  readonly steps: Readonly<Record<string, StepKind<any>>>;
  readonly checks?: Readonly<Record<string, CheckKind<any>>>;
  readonly extractions?: Readonly<Record<string, ExtractKind<any>>>;
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
  /** Check kinds every request-like step accepts, whatever its protocol (core/checks/index.ts). */
  readonly checks: Readonly<Record<string, CheckKind<any>>>;
  /** Extraction kinds every request-like step accepts (core/extract/index.ts). */
  readonly extractions: Readonly<Record<string, ExtractKind<any>>>;
  /** Metrics every run has whatever its protocols (iterations, checks, vus …). */
  readonly metrics: readonly MetricDefinition[];
  /** Functions templates may call, `${name(args)}` (config/expression/functions.ts `FUNCTIONS` and the plugins'). */
  readonly functions: TemplateFunctions;
  /** k6's top-level load-model shortcuts (src/executors/shortcuts.ts); extra modules do not replace them. */
  readonly shortcuts: ShortcutSyntax;
}
