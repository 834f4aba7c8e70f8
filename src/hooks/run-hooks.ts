// A run's one-time hooks, for whichever process hosts them: `setup` once before any load and
// `teardown` once after it (src/hooks/lifecycle.ts), on the calling thread, their requests
// recorded into their own MetricStore and handed over as deltas (`onDelta`): a local run merges
// them into its aggregator (cli/run/run-local.ts); a distributed run's submitter sends setup's
// with the submission, so the controller counts it in the merged metrics (cluster/client.ts).
// A setup that throws is `{ ok: false }` with the message and the module's stack frames.
import type { TestPlan } from "../config/plan.ts";
import { MetricStore } from "../metrics/store.ts";
import type { MetricRegistry } from "../metrics/registry.ts";
import type { MetricDelta } from "../metrics/types.ts";
import type { ProtocolModule } from "../plugin-api/types.ts";
import { openLifecycle, SetupError, type RunLifecycle } from "./lifecycle.ts";

export type StartedHooks =
  | { ok: true; setupJson?: string; teardown(): Promise<string | undefined> }
  | { ok: false; error: string };

export interface HookHost {
  protocols: Readonly<Record<string, ProtocolModule>>;
  registry: MetricRegistry;
  onDelta(delta: MetricDelta): void;
  onWarning(message: string): void;
}

/** Runs setup (when the module exports it); `teardown()` later runs teardown with its data. */
export async function startHooks(plan: TestPlan, host: HookHost): Promise<StartedHooks> {
  const exports = plan.hooks?.exports ?? [];
  if (!exports.includes("setup") && !exports.includes("teardown")) return { ok: true, teardown: async () => undefined };
  const store = new MetricStore(host.registry, { onWarning: host.onWarning });
  const flush = () => host.onDelta(store.takeDelta());
  let lifecycle: RunLifecycle | undefined;
  try {
    lifecycle = await openLifecycle(plan, { protocols: host.protocols, metrics: store, registry: host.registry });
    const setupJson = await lifecycle.setup();
    flush();
    const opened = lifecycle;
    return {
      ok: true,
      ...(setupJson !== undefined ? { setupJson } : {}),
      async teardown() {
        const problem = await opened.teardown(setupJson);
        flush();
        opened.close();
        return problem;
      },
    };
  } catch (error) {
    flush();
    lifecycle?.close();
    if (!(error instanceof SetupError)) throw error;
    return { ok: false, error: [error.message, ...error.frames.map((f) => `    ${f}`)].join("\n") };
  }
}

/** True when the module exports setup or teardown: something the submitting process must run. */
export function hasOneTimeHooks(plan: TestPlan): boolean {
  return (plan.hooks?.exports ?? []).some((name) => name === "setup" || name === "teardown");
}
