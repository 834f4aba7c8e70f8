// One virtual user running a compiled scenario program (see core/vu.ts for the contract).
// State per VU: its cookie jar, its protocol sessions (opened lazily, closed by `close`), its
// vars and its iteration counter. Like k6 VU state, `vars` start empty and persist across the
// iterations of the VU (a token extracted in iteration 0 is still there in iteration 1 unless
// re-set or unset by a failed extraction); scenario `env` never goes into vars. Variables hold
// strings, numbers or booleans (config/plan.ts `VarValue`).
import type { TemplateScope } from "../../config/plan.ts";
import { seriesOf, type MetricSink, type SeriesHandle } from "../../metrics/types.ts";
import type { CookieJar, ProtocolDebug, ProtocolSession, Session, SessionContext } from "../../protocols/types.ts";
import type { EngineModules } from "../modules.ts";
import type { VirtualUser } from "../vu.ts";
import type { VuRowSelector } from "../feeds/rows.ts";
import { asStepError, countedFailure, runSteps, type VuRuntime } from "./interpreter.ts";
import type { Program } from "./program.ts";
import { attachScript, HookFailure, type VuScript, type WorkerScript } from "../script.ts";

export interface FlowVuDeps {
  program: Program;
  rows: VuRowSelector;
  /** Where sessions come from: each protocol module's `handler`, by protocol name. */
  protocols: EngineModules["protocols"];
  metrics: MetricSink;
  cookies: CookieJar;
  random: () => number;
  warn: (message: string) => void;
  /** Handed to every session this VU opens (SessionContext.debug). */
  debug?: ProtocolDebug;
  /** The plan's hooks on this thread (core/script.ts); absent without `hooks:`. */
  script?: WorkerScript;
}

export class FlowVu implements VirtualUser, VuRuntime {
  readonly scope: TemplateScope;
  readonly cookies: CookieJar;
  readonly metrics: MetricSink;
  readonly random: () => number;
  readonly warn: (message: string) => void;
  readonly script?: VuScript;
  /** `init` (when exported) has not yet succeeded: it runs before the next iteration. */
  private initPending: boolean;
  private readonly sessions = new Map<string, Session>();
  private iterations = 0;
  /** `iterations` and `iteration_duration` with the program's iteration tags, resolved once. */
  private readonly iterationsSeries: SeriesHandle;
  private readonly durationSeries: SeriesHandle;
  private closed = false;
  // The iteration of `runIterationThen` in flight (one at a time per VU).
  private iterationStart = 0;
  /**
   * While `endIteration` calls the loop back: the instant the iteration ended, which is when an
   * iteration the loop starts from that callback begins (one clock read serves both); else -1.
   */
  private endedAt = -1;
  private iterationSignal: AbortSignal | undefined;
  private iterationDone: (() => void) | undefined;
  private stepIndex = 0;
  /** A step's `runThen` is on the stack: its `done` only notes the end (`nextSteps` goes on). */
  private stepSync = false;
  private stepEndedEarly = false;
  private stepFailure: { error: unknown } | undefined;

  constructor(
    readonly id: number,
    private readonly deps: FlowVuDeps,
  ) {
    this.cookies = deps.cookies;
    this.metrics = deps.metrics;
    this.random = deps.random;
    this.warn = deps.warn;
    // Null-prototype maps: a variable or feed named `__proto__` or `constructor` is an ordinary entry.
    this.scope = { vars: Object.create(null), data: Object.create(null), vu: id, iteration: 0, scenario: deps.program.scenario };
    if (deps.script) this.script = deps.script.forVu(this);
    attachScript(this.scope, deps.script, this.script);
    this.initPending = this.script?.has("init") ?? false;
    this.iterationsSeries = seriesOf(deps.metrics, "iterations", deps.program.iterationTags);
    this.durationSeries = seriesOf(deps.metrics, "iteration_duration", deps.program.iterationTags);
  }

  session<S extends Session = ProtocolSession>(protocol: string): S {
    let session = this.sessions.get(protocol);
    if (!session) {
      if (this.closed) throw new Error(`VU ${this.id} is closed`);
      const module = Object.hasOwn(this.deps.protocols, protocol) ? this.deps.protocols[protocol] : undefined;
      if (!module) throw new Error(`no protocol "${protocol}" among the modules (${Object.keys(this.deps.protocols).join(", ")})`);
      const context: SessionContext = { vu: this.id, cookies: this.cookies, metrics: this.metrics };
      if (this.deps.debug) context.debug = this.deps.debug;
      session = module.handler.openSession(context);
      this.sessions.set(protocol, session);
    }
    // The step that asks names its own protocol, so it knows the session's type.
    return session as S;
  }

  /** Never rejects; always records `iterations` and `iteration_duration`, even when interrupted. */
  runIteration(signal: AbortSignal): Promise<void> {
    if (this.script !== undefined) return this.runHooked(this.script, signal);
    return new Promise((resolve) => this.runIterationThen(signal, resolve));
  }

  /**
   * `runIteration` with a callback (VirtualUser.runIterationThen), what the VU loops call.
   * Without hooks the steps run one after another, each through its `runThen` when it has one
   * (no promise per step or per iteration), else through the promise `run` returns.
   */
  runIterationThen(signal: AbortSignal, done: () => void): void {
    if (this.script !== undefined) return void this.runHooked(this.script, signal).then(done);
    this.iterationStart = this.endedAt >= 0 ? this.endedAt : performance.now();
    this.endedAt = -1;
    this.iterationSignal = signal;
    this.iterationDone = done;
    this.stepIndex = 0;
    try {
      this.scope.iteration = this.iterations++;
      this.deps.rows.select(this.scope.data);
    } catch (error) {
      return this.endIteration(error);
    }
    this.nextSteps();
  }

  /** An iteration with hooks: init until it succeeds once; beforeIteration, the steps, then afterIteration (even when a step failed). */
  private async runHooked(script: VuScript, signal: AbortSignal): Promise<void> {
    const start = performance.now();
    try {
      this.scope.iteration = this.iterations++;
      this.deps.rows.select(this.scope.data);
      if (this.initPending) {
        await script.lifecycle("init", signal);
        this.initPending = false;
      }
      if (script.has("beforeIteration")) await script.lifecycle("beforeIteration", signal);
      try {
        await runSteps(this.deps.program.steps, this, signal);
      } finally {
        if (script.has("afterIteration") && !signal.aborted) await script.lifecycle("afterIteration", signal);
      }
    } catch (error) {
      this.iterationFailed(error);
    }
    this.recordIteration(start, performance.now());
  }

  /**
   * Runs steps from `stepIndex` until one is still running (its callback resumes here) or the
   * iteration is over. A step that ends before its `runThen` returns continues this loop rather
   * than nesting a call, so the stack stays flat however many steps end at once.
   */
  private nextSteps(): void {
    const steps = this.deps.program.steps;
    const signal = this.iterationSignal!;
    while (this.stepIndex < steps.length && !signal.aborted) {
      const step = steps[this.stepIndex++]!;
      if (step.runThen === undefined) {
        let pending: Promise<unknown> | void;
        try {
          pending = step.run(this, signal);
        } catch (error) {
          return this.endIteration(asStepError(step, error));
        }
        if (pending !== undefined) return void pending.then(this.stepEndedBound, this.stepThrewBound);
        continue;
      }
      this.stepSync = true;
      this.stepEndedEarly = false;
      step.runThen(this, signal, this.stepDoneBound);
      this.stepSync = false;
      if (!this.stepEndedEarly) return;
      if (this.stepFailure !== undefined) return this.endIteration(asStepError(step, this.takeStepFailure()));
    }
    this.endIteration(undefined);
  }

  private takeStepFailure(): unknown {
    const failure = this.stepFailure;
    this.stepFailure = undefined;
    return failure?.error;
  }

  private readonly stepDoneBound = (failure?: { error: unknown }): void => {
    if (this.stepSync) {
      this.stepEndedEarly = true;
      this.stepFailure = failure;
      return;
    }
    if (failure !== undefined) return this.endIteration(asStepError(this.deps.program.steps[this.stepIndex - 1]!, failure.error));
    this.nextSteps();
  };
  private readonly stepEndedBound = (): void => this.nextSteps();
  private readonly stepThrewBound = (error: unknown): void =>
    this.endIteration(asStepError(this.deps.program.steps[this.stepIndex - 1]!, error));

  /** Ends the iteration of `runIterationThen` (`error`: what ended it early, as `runIteration` catches). */
  private endIteration(error: unknown): void {
    if (error !== undefined) this.iterationFailed(error);
    const end = performance.now();
    this.recordIteration(this.iterationStart, end);
    const done = this.iterationDone!;
    this.iterationDone = this.iterationSignal = undefined;
    this.endedAt = end;
    try {
      done();
    } finally {
      this.endedAt = -1;
    }
  }

  /**
   * An iteration ended by `error`. A hook's failure was reported where it happened
   * (core/script.ts); anything else is a bug, not a failed request: say it once per distinct
   * message. Counted failures add to their metric.
   */
  private iterationFailed(error: unknown): void {
    const { program } = this.deps;
    const hook = error instanceof HookFailure || (error as { cause?: unknown })?.cause instanceof HookFailure;
    if (!hook) this.warn(`scenario "${program.scenario}": ${(error as Error)?.message ?? String(error)}`);
    const counted = countedFailure(error);
    if (counted) this.metrics.add(counted.countAs.metric, 1, { ...program.iterationTags, ...counted.countAs.tags });
  }

  private recordIteration(start: number, end: number): void {
    try {
      this.iterationsSeries.add(1);
      this.durationSeries.add(end - start);
    } catch (error) {
      this.warn(`scenario "${this.deps.program.scenario}": recording iteration metrics failed: ${(error as Error)?.message}`);
    }
  }

  /** Closes every session and clears the jar; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const session of this.sessions.values()) {
      try {
        session.close();
      } catch (error) {
        this.warn(`VU ${this.id}: closing a session failed: ${(error as Error)?.message}`);
      }
    }
    this.sessions.clear();
    this.cookies.clear();
  }
}
