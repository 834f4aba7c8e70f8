// Suite 3, memory per VU: loadr with N VUs that each send one request and sleep 1 s
// (plans/memory.yaml), against nginx, for a fixed time; peak RSS of the loadr process tree / N.
// The marginal cost per VU (the slope between the smallest and the largest N) is in the summary.
import type { Target } from "../nginx.ts";
import { loadrAdapter, type LoadrCommand } from "../tools/loadr.ts";
import { measure, type SuiteEnv } from "./common.ts";

export async function memoryRound(env: SuiteEnv, nginx: Target, round: number, command: LoadrCommand): Promise<void> {
  const tool = loadrAdapter(command, () => "memory.yaml");
  for (const vus of env.opts.memoryVus) {
    await measure(env, {
      kind: "memory",
      label: `${vus} VUs`,
      round,
      tool,
      spec: { url: nginx.url, connections: vus, durationSec: env.opts.memoryDurationSec },
      target: nginx,
      after: async (r) => {
        if (!r.usage) return;
        r.extra = { ...r.extra, vus, rssPerVuKb: (r.usage.peakRssMb * 1000) / vus };
      },
    });
  }
}
