// Suite 1, throughput over HTTP/1.1: every tool, same connections, same duration, against
// 1-worker nginx; tools interleaved within a round, the order rotated each round.
import type { Target } from "../nginx.ts";
import { rotate } from "../stats.ts";
import { measure, selected, type SuiteEnv } from "./common.ts";

export async function throughputRound(env: SuiteEnv, nginx: Target, round: number): Promise<void> {
  const spec = { url: nginx.url, connections: env.opts.connections, durationSec: env.opts.durationSec };
  for (const tool of rotate(selected(env), round - 1)) {
    await measure(env, {
      kind: "throughput",
      label: `${spec.connections} conns`,
      round,
      tool,
      spec,
      target: nginx,
      after: async (r) => {
        if (!r.usage || !r.targetCount) return;
        r.extra = { ...r.extra, cpuSecPer100k: (r.usage.cpuSec / r.targetCount) * 100_000 };
      },
    });
  }
}
