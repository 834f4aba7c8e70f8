// The shapes shared by the tool adapters, the suites and the reports.

export const ALL_TOOLS = ["loadr", "wrk", "hey", "autocannon", "locust", "artillery"] as const;
export type ToolName = (typeof ALL_TOOLS)[number];

export const ALL_SUITES = ["throughput", "latency", "memory", "startup", "cluster", "ladder"] as const;
export type SuiteName = (typeof ALL_SUITES)[number];

/** What one tool reported about one run, normalized. Times in milliseconds. */
export interface ToolMetrics {
  /** Requests the tool says it completed. */
  requests: number | null;
  /** Requests per second as the tool reports it. */
  rps: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Failed requests (socket errors, timeouts, non-2xx) as the tool reports them. */
  errors: number | null;
  /** How many samples the tool's latency histogram holds, when it says (autocannon). */
  latencySamples?: number;
  /** Tool-specific figures kept in the record's `extra` (e.g. loadr's peak VUs, dropped iterations). */
  details?: Record<string, number>;
  /** Warnings the tool printed about its own run (e.g. loadr's "generator saturated"). */
  notes?: string[];
}

/** What the harness measured about the load generator's own processes. */
export interface ProcUsage {
  wallSec: number;
  /** user + system CPU seconds of the tool's process tree (reaped descendants included). */
  cpuSec: number;
  /** Peak of the summed RSS of the tool's process tree, sampled, in MB (1e6 bytes). */
  peakRssMb: number;
}

export type RunKind = "throughput" | "latency-steady" | "latency-stall" | "memory" | "startup" | "cluster" | "ladder";

/** One measured run: one tool, one round, one case. */
export interface RunRecord {
  kind: RunKind;
  tool: string;
  round: number;
  /** Case label within the kind, e.g. "1000 VUs" or "version". */
  label: string;
  ok: boolean;
  error?: string;
  metrics?: ToolMetrics;
  usage?: ProcUsage;
  /** Requests the target itself counted during this run (exact). */
  targetCount?: number;
  /** tool-reported requests − target count. */
  countDelta?: number;
  /** Everything else a suite wants to keep (e.g. rss per VU, server-side hold times). */
  extra?: Record<string, number | string | null>;
  /** Warnings the tool gave about this run. */
  toolNotes?: string[];
  /** Files kept for inspection (tool stdout, plan, report), relative to the run directory. */
  files?: string[];
}

/** The whole result file: bench/results/<timestamp>.json. */
export interface BenchResults {
  schema: "loadr-bench/1";
  startedAt: string;
  finishedAt: string;
  host: { cpus: number; cpuModel: string; kernel: string; loadAvgStart: number[]; loadAvgEnd: number[]; memGB: number };
  options: BenchOptions;
  versions: Record<string, string>;
  loadr: { mode: string; command: string[] } | null;
  /** How each tool attains a fixed arrival rate in the latency suite. */
  rateModels: Record<string, string>;
  runs: RunRecord[];
  notes: string[];
}

export interface BenchOptions {
  rounds: number;
  durationSec: number;
  suites: SuiteName[];
  tools: ToolName[];
  quick: boolean;
  /** "auto" (the compiled binary), "source" (bun src/main.ts) or a path to a binary. */
  loadr: string;
  connections: number;
  /** Generator threads: `loadr run --workers N` and `wrk -t N`; null = each tool's default. */
  workers: number | null;
  latencyRate: number;
  latencyConnections: number;
  delayMs: number;
  stallMs: number;
  memoryVus: number[];
  memoryDurationSec: number;
  startupReps: number;
  /** Simulated agents of the cluster suite (default 200, issue 5's fleet). */
  clusterAgents: number;
  skipInstall: boolean;
}
