// Merging and thresholds of one controller run, on the one run loop (core/run/run-loop.ts).
// Agents' batches are merged into the run's aggregator as they arrive (duplicates dropped by
// sequence number), and each merged one is marked in the agent's report log (unreported.ts).
// Each second the run manager's timer drives `tick`: the loop sets the fleet's `vus` / `vus_max`
// gauges (sums over the agents' last reports), takes one interval, evaluates the thresholds on
// the merged metrics (an abortOnFail failure kills every agent), and fans the snapshot out to the
// run's consumers (run-consumers.ts). `finish` takes the last interval, builds the summary and
// maps the exit code (core/run/outcome.ts).
//
// Contract: called by ControllerRun (run.ts) only; single-threaded. `tick` is a no-op before the
// start barrier and after `finish`.
import { RunLoop, type RunConsumer, type RunResult } from "../../core/run/run-loop.ts";
import { ThresholdEvaluator } from "../../core/thresholds/evaluator.ts";
import { Aggregator, RejectedDeltaError } from "../../metrics/aggregator.ts";
import { MetricRegistry } from "../../metrics/registry.ts";
import type { MetricsBatch } from "../protocol.ts";
import type { MetricDelta as MetricsDelta } from "../../metrics/types.ts";
import { summaryNotes } from "./run-end.ts";
import { fleetStatus, readAgentBatch, type FleetStatus } from "./run-metrics.ts";
import type { RunAgent, RunCore } from "./run-state.ts";
import { fleetSummaryOf } from "./run-view.ts";
import { readScenarioStatuses } from "../../core/run/scenario-progress.ts";
import { markOf, recordBatch, sentAtOf } from "./unreported.ts";
import { AgentSeries } from "./agent-series.ts";

export class RunMerge {
  readonly aggregator: Aggregator;
  readonly #run: RunCore;
  readonly #loop: RunLoop<FleetStatus>;
  readonly #scenarioNames: ReadonlySet<string>;
  /** Per-agent series for the outputs that asked for them (agent-series.ts); none otherwise. */
  readonly #agentSeries: AgentSeries<FleetStatus> | undefined;

  /** `agentConsumers`: outputs fed per-agent series (agent-series.ts) instead of the merged ones. */
  constructor(run: RunCore, consumers: RunConsumer<FleetStatus>[], agentConsumers: RunConsumer<FleetStatus>[] = []) {
    this.#run = run;
    const { state, host } = run;
    this.#scenarioNames = new Set(state.plan.scenarios.map((s) => s.name));
    // The plan's metric registry (core + protocol-declared), so units survive the merge.
    this.aggregator = new Aggregator(new MetricRegistry(state.plan.metrics));
    this.#loop = new RunLoop<FleetStatus>({
      aggregator: this.aggregator,
      thresholds: new ThresholdEvaluator(state.plan.thresholds, this.aggregator.registry),
      status: () => fleetStatus(state, host.now()),
      consumers,
      onAbort: (d) => run.requestStop("KILL", `threshold ${d.key}: ${d.expression} failed (abortOnFail); stopping every agent`),
      onConsumerError: (name, error) => host.log(`run ${state.id}: ${name}: ${(error as Error)?.message ?? String(error)}`),
      now: () => host.now(),
    });
    if (agentConsumers.length > 0) {
      this.#agentSeries = new AgentSeries<FleetStatus>(this.aggregator.registry, () => fleetStatus(state, host.now()), agentConsumers, () => host.now(), (name, error) =>
        host.log(`run ${state.id}: ${name}: ${(error as Error)?.message ?? String(error)}`),
      );
    }
  }

  /** An abortOnFail threshold stopped the run. */
  get abortedByThreshold(): boolean {
    return this.#loop.abort !== undefined;
  }

  /** Someone stopped the run from outside: it ends "interrupted" (exit 105). First call counts. */
  interrupt(how: string): void {
    this.#loop.interrupt(how);
  }

  onMetrics(agent: RunAgent, batch: MetricsBatch): void {
    if (batch.seq <= agent.lastSeq) return;
    agent.lastSeq = batch.seq;
    const { state, host } = this.#run;
    const read = readAgentBatch(batch.delta);
    if ("problem" in read) {
      agent.rejectedBatches++;
      host.rejected(agent.agentId, state.id, `a metrics batch was refused: ${read.problem}`);
      return;
    }
    if (read.vus !== undefined) agent.vus = read.vus;
    if (read.vusMax !== undefined) agent.vusMax = read.vusMax;
    if (read.vus !== undefined || read.vusMax !== undefined) agent.reportedVus = true;
    if (read.progress !== undefined) {
      const progress = readScenarioStatuses(read.progress, this.#scenarioNames);
      if (!("error" in progress)) agent.progress = progress;
      else if (agent.rejectedProgress++ === 0) host.log(`run ${state.id}: agent ${agent.name} sent a malformed progress (${progress.error}); ignored`);
    }
    try {
      this.aggregator.merge(read.delta);
      this.#mergePerAgent(agent, read.delta);
      recordBatch(agent.reports, markOf(read.delta, sentAtOf(batch.unix_ms, agent.clockOffsetMs, host.now())), batch.final);
    } catch (error) {
      // A RejectedDeltaError merged nothing; anything else is a bug, never a reason to stop the run.
      agent.rejectedBatches++;
      host.rejected(agent.agentId, state.id, error instanceof RejectedDeltaError ? error.message : `merging a metrics batch failed: ${String((error as Error)?.message ?? error)}`);
    }
  }

  /** Every second once load started (the start barrier passed). */
  tick(): void {
    const { state, host } = this.#run;
    if (state.startAtUnixMs === undefined || host.now() < state.startAtUnixMs) return;
    this.#loop.tick();
    this.#agentSeries?.tick();
  }

  /** The per-agent copy of a merged delta; its failure never touches the run's own figures. */
  #mergePerAgent(agent: RunAgent, delta: MetricsDelta): void {
    if (!this.#agentSeries) return;
    try {
      this.#agentSeries.merge(agent.name, delta);
    } catch (error) {
      this.#run.host.log(`run ${this.#run.state.id}: agent ${agent.name}'s per-agent series: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  /** The end: the final interval, the summary, the outcome and exit code. Call once. */
  async finish(failed?: string): Promise<RunResult<FleetStatus>> {
    const { state } = this.#run;
    const result = await this.#loop.finish({
      summary: {
        planName: state.plan.name,
        scenarios: state.plan.scenarios.map((s) => ({ name: s.name, executor: s.executor.type })),
        notes: summaryNotes(state),
        fleet: fleetSummaryOf(state),
        runId: state.id,
        ...(state.plan.summaryTrendStats ? { trendStats: state.plan.summaryTrendStats } : {}),
      },
      ...(failed !== undefined ? { failed } : {}),
    });
    await this.#agentSeries?.finish();
    return result;
  }
}
