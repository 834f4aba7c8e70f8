// The flow interpreter: runs a compiled step list for one VU. Called by the VU's own iteration
// (one at a time per VU); many VUs run it concurrently on one thread, each with its own runtime.
// Contract:
// - `signal` aborted: no further step starts, a sleep ends at once, the in-flight request gets
//   the signal and its checks/extraction are skipped (a cut-off response says nothing about the
//   target); `runSteps` then resolves.
// - Network failures are results, not errors (see checks.ts). Anything thrown is a bug in the
//   plan or the engine: it propagates as a `StepError` naming the step's source location, and
//   the caller (flow-vu.ts) ends the iteration.
import type { SourceLoc, TemplateScope } from "../../config/plan.ts";
import type { MetricSink } from "../../metrics/types.ts";
import type { CookieJar, ProtocolSession } from "../../protocols/types.ts";
import { runChecks } from "../checks.ts";
import { runExtractors } from "../extract/extractors.ts";
import type { ExtractSpec } from "../../config/plan.ts";
import type { Node } from "./program.ts";
import type { CompiledRequest } from "./request.ts";
import { sleep, sleepDuration } from "./sleep.ts";

/** What the interpreter needs of a VU. */
export interface VuRuntime {
  readonly id: number;
  /** The VU's scope: `vars` persist across iterations; `iteration` and `data` set per iteration. */
  readonly scope: TemplateScope;
  readonly cookies: CookieJar;
  readonly metrics: MetricSink;
  readonly random: () => number;
  /** Deduplicated warnings (shared by the factory's VUs). */
  readonly warn: (message: string) => void;
  /** The VU's session for `protocol`, opened on first use. */
  session(protocol: string): ProtocolSession;
}

/** A bug raised by a step, with the step's location. */
export class StepError extends Error {
  constructor(
    readonly loc: SourceLoc,
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(`${loc.file}:${loc.line}:${loc.column}: ${step} step failed: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = "StepError";
  }
}

export async function runSteps(nodes: readonly Node[], vu: VuRuntime, signal: AbortSignal): Promise<void> {
  for (const node of nodes) {
    if (signal.aborted) return;
    try {
      await runNode(node, vu, signal);
    } catch (error) {
      throw error instanceof StepError ? error : new StepError(node.loc, node.kind, error);
    }
  }
}

async function runNode(node: Node, vu: VuRuntime, signal: AbortSignal): Promise<void> {
  switch (node.kind) {
    case "request":
      return runRequest(node.request, vu, signal);
    case "sleep":
      return sleep(sleepDuration(node.min, node.max, vu.random), signal);
    case "group": {
      const start = performance.now();
      await runSteps(node.steps, vu, signal);
      // An interrupted group's time is not a group duration.
      if (!signal.aborted) vu.metrics.add("group_duration", performance.now() - start, node.durationTags);
      return;
    }
    case "loop":
      return runLoop(node, vu, signal);
    case "if":
      return runSteps(node.condition.evaluate(vu.scope) ? node.then : node.else, vu, signal);
    case "set":
      for (const [name, template] of node.vars) vu.scope.vars[name] = template.render(vu.scope);
      return;
  }
}

/**
 * `count` given: runs the body `count` times (and, with `while` too, stops early when it turns
 * false). Only `while`: runs while it holds, at most `maxIterations` times; hitting the cap with
 * the condition still true stops the loop and warns once (per loop, per factory).
 */
async function runLoop(node: Extract<Node, { kind: "loop" }>, vu: VuRuntime, signal: AbortSignal): Promise<void> {
  const limit = node.count ?? node.maxIterations;
  const condition = node.while;
  let i = 0;
  for (; i < limit; i++) {
    if (signal.aborted) return;
    if (condition && !condition.evaluate(vu.scope)) return;
    await runSteps(node.steps, vu, signal);
  }
  if (node.count === undefined && condition && !signal.aborted && condition.evaluate(vu.scope)) {
    const { file, line, column } = node.loc;
    vu.warn(`${file}:${line}:${column}: loop stopped after maxIterations (${node.maxIterations}) with its condition "${condition.source}" still true`);
  }
}

async function runRequest(request: CompiledRequest, vu: VuRuntime, signal: AbortSignal): Promise<void> {
  const loading = request.body?.load();
  if (loading) await loading;
  const resolved = request.build(vu.scope);
  const response = await vu.session(request.spec.protocol).send(resolved, request.tags, signal);
  if (signal.aborted) return;
  if (request.checks.length > 0) runChecks(request.checks, response, vu.scope, vu.metrics);
  if (request.spec.extract.length > 0) {
    runExtractors(request.spec.extract, response, vu.scope.vars, vu.cookies, (spec) => vu.warn(missMessage(spec)));
  }
}

function missMessage(spec: ExtractSpec): string {
  const { file, line, column } = spec.loc;
  const what =
    spec.kind === "json" ? `JSON path ${spec.path}` :
    spec.kind === "regex" ? `pattern ${spec.pattern}` :
    spec.kind === "header" ? `header ${spec.header}` : `cookie ${spec.cookie}`;
  return `${file}:${line}:${column}: extract "${spec.variable}" found no ${what}; the variable is unset (renders as "")`;
}
