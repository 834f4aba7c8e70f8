// Starts and drives the delay server (delay-server.ts) as a separate, measured-by-nobody process.
import { join } from "node:path";
import type { Target } from "./nginx.ts";
import { freePort, startJob, waitFor } from "./proc.ts";

const START_TIMEOUT_MS = 10_000;

export interface DelayCount {
  count: number;
  stalled: number;
  holdP50: number | null;
  holdP99: number | null;
  holdMax: number | null;
}

export interface DelayTarget extends Target {
  readonly delayMs: number;
  reset(): Promise<void>;
  /** Arms a one-off stall of `forMs`, starting `afterMs` after the next counted request. */
  arm(afterMs: number, forMs: number): Promise<void>;
  stats(): Promise<DelayCount>;
}

export async function startDelayServer(dir: string, delayMs: number): Promise<DelayTarget> {
  const port = await freePort();
  const job = startJob({
    name: "delay-server",
    cmd: [process.execPath, join(import.meta.dir, "delay-server.ts"), String(port), String(delayMs)],
    timeoutMs: 6 * 3600_000,
    stdoutPath: join(dir, "delay-server.stdout.log"),
    stderrPath: join(dir, "delay-server.stderr.log"),
  });
  const base = `http://127.0.0.1:${port}`;
  const get = async (path: string): Promise<unknown> => (await fetch(base + path)).json();
  const stats = async (): Promise<DelayCount> => (await get("/_count")) as DelayCount;
  try {
    await waitFor("delay server", async () => typeof (await stats()).count === "number", START_TIMEOUT_MS);
  } catch (error) {
    await job.stop();
    throw error;
  }
  return {
    url: `${base}/`,
    port,
    delayMs,
    counter: async () => (await stats()).count,
    served: (before, after) => after - before,
    reset: async () => void (await get("/_reset")),
    arm: async (afterMs, forMs) => void (await get(`/_arm?after=${afterMs}&for=${forMs}`)),
    stats,
    async stop() {
      await job.stop();
    },
  };
}
