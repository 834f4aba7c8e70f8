// Command-line options of `npm run bench` (bench/run.ts). `--quick` is the smoke mode: one
// round of 3 s runs (explicit --rounds/--duration still win).
import { CLUSTER_TARGETS } from "./cluster/targets.ts";
import { ALL_SUITES, ALL_TOOLS, type BenchOptions, type SuiteName, type ToolName } from "./types.ts";

export const USAGE = `npm run bench -- [options]

  --rounds N        rounds per figure (default 3; every figure is min/median/max over rounds)
  --duration S      seconds per load run (default 10)
  --only LIST       suites: ${ALL_SUITES.join(",")} (default all)
  --tools LIST      tools: ${ALL_TOOLS.join(",")} (default all)
  --quick           smoke mode: 1 round, 3 s runs, shorter memory and startup runs
  --loadr WHICH     auto (dist/loadr-<os>-<arch>, default) | source (bun src/main.ts) | PATH
  --connections N   connections / VUs in the throughput suite (default 64)
  --workers N       generator threads: loadr --workers N, wrk -t N (default: loadr's default, wrk -t <cores>)
  --rate N          fixed request rate of the latency suite, req/s (default 400)
  --agents N        simulated agents of the cluster suite (default ${CLUSTER_TARGETS.agents})
  --skip-install    do not apt-get / npm install missing tools
  --help            this text
`;

function list<T extends string>(value: string, allowed: readonly T[], what: string): T[] {
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`unknown ${what} "${item}" (known: ${allowed.join(", ")})`);
  return items as T[];
}

/** The value of `flag` as a positive number; throws naming the flag otherwise. */
export function positive(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (!value || !Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number`);
  return n;
}

export function parseArgs(argv: string[]): BenchOptions | "help" {
  const given = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") return "help";
    if (a === "--quick" || a === "--skip-install") {
      flags.add(a);
      continue;
    }
    if (!a.startsWith("--")) throw new Error(`unexpected argument "${a}"`);
    const eq = a.indexOf("=");
    if (eq > 0) given.set(a.slice(0, eq), a.slice(eq + 1));
    else given.set(a, argv[++i] ?? "");
  }
  const known = ["--rounds", "--duration", "--only", "--tools", "--loadr", "--connections", "--workers", "--rate", "--agents"];
  for (const k of given.keys()) if (!known.includes(k)) throw new Error(`unknown option ${k}`);
  const quick = flags.has("--quick");
  const get = (k: string): string | undefined => given.get(k);
  const durationSec = get("--duration") ? positive(get("--duration"), "--duration") : quick ? 3 : 10;
  return {
    rounds: get("--rounds") ? Math.round(positive(get("--rounds"), "--rounds")) : quick ? 1 : 3,
    durationSec,
    suites: get("--only") ? list<SuiteName>(get("--only")!, ALL_SUITES, "suite") : [...ALL_SUITES],
    tools: get("--tools") ? list<ToolName>(get("--tools")!, ALL_TOOLS, "tool") : [...ALL_TOOLS],
    quick,
    loadr: get("--loadr") || "auto",
    connections: get("--connections") ? Math.round(positive(get("--connections"), "--connections")) : 64,
    workers: get("--workers") ? Math.round(positive(get("--workers"), "--workers")) : null,
    latencyRate: get("--rate") ? positive(get("--rate"), "--rate") : 400,
    latencyConnections: 10,
    delayMs: 10,
    stallMs: 1000,
    memoryVus: [1000, 10000],
    memoryDurationSec: quick ? 5 : 15,
    startupReps: quick ? 3 : 10,
    clusterAgents: get("--agents") ? Math.round(positive(get("--agents"), "--agents")) : CLUSTER_TARGETS.agents,
    skipInstall: flags.has("--skip-install"),
  };
}
