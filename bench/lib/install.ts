// Installs the peers the selected suites need, once, when missing: Debian packages with apt-get
// (after one `apt-get update`), npm packages into bench/.tools with --ignore-scripts (Artillery
// pulls a Playwright dependency whose install script downloads Chrome).
import { existsSync, mkdirSync } from "node:fs";
import { runJob, which } from "./proc.ts";
import { NPM_PACKAGES, TOOLS_DIR, npmToolPath } from "./tools/npm-tools.ts";
import type { BenchOptions } from "./types.ts";

const APT_TIMEOUT_MS = 15 * 60_000;
const NPM_TIMEOUT_MS = 10 * 60_000;

/** tool → [a binary that proves it is installed, its Debian package]. */
const DEBIAN: Record<string, [string, string]> = {
  wrk: ["wrk", "wrk"],
  hey: ["hey", "hey"],
  locust: ["/usr/bin/locust", "python3-locust"],
  nginx: ["/usr/sbin/nginx", "nginx-light"],
};

export function neededDebianPackages(opts: BenchOptions): string[] {
  const wanted: string[] = [...opts.tools.filter((t) => t in DEBIAN)];
  if (opts.suites.some((s) => s !== "latency")) wanted.push("nginx");
  return [...new Set(wanted)].filter((t) => !which(DEBIAN[t]![0])).map((t) => DEBIAN[t]![1]);
}

export function neededNpmPackages(opts: BenchOptions): string[] {
  const want: Array<[string, string, string]> = [
    ["autocannon", npmToolPath("autocannon", "autocannon.js"), NPM_PACKAGES[0]!],
    ["artillery", npmToolPath("artillery", "bin/run"), NPM_PACKAGES[1]!],
  ];
  const suitesWithPeers = opts.suites.includes("throughput") || opts.suites.includes("latency");
  return want.filter(([t, bin]) => suitesWithPeers && opts.tools.includes(t as never) && !existsSync(bin)).map(([, , pkg]) => pkg);
}

async function run(what: string, cmd: string[], timeoutMs: number, env?: Record<string, string>): Promise<void> {
  process.stdout.write(`bench: ${what}: ${cmd.join(" ")}\n`);
  const r = await runJob({ name: what, cmd, env, timeoutMs });
  if (r.exitCode !== 0) {
    const tail = (r.stderr.trim() || r.stdout.trim()).split("\n").slice(-10).join("\n");
    throw new Error(`${what} failed (exit ${r.exitCode ?? r.signal}${r.timedOut ? ", timed out" : ""}):\n${tail}`);
  }
}

export async function ensureTools(opts: BenchOptions): Promise<string[]> {
  const notes: string[] = [];
  const debs = neededDebianPackages(opts);
  if (debs.length > 0) {
    const root = process.getuid?.() === 0;
    const sudo = root ? [] : which("sudo") ? ["sudo", "-n"] : null;
    if (!sudo) throw new Error(`missing Debian packages ${debs.join(" ")}; install them as root: apt-get install -y ${debs.join(" ")}`);
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    await run("apt-get update", [...sudo, "apt-get", "update", "-qq"], APT_TIMEOUT_MS, env);
    await run("apt-get install", [...sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", ...debs], APT_TIMEOUT_MS, env);
    notes.push(`installed from Debian: ${debs.join(", ")}`);
  }
  const npms = neededNpmPackages(opts);
  if (npms.length > 0) {
    const npm = which("npm");
    if (!npm) throw new Error(`npm is needed to install ${npms.join(" ")} into ${TOOLS_DIR}`);
    mkdirSync(TOOLS_DIR, { recursive: true });
    await run("npm install", [npm, "install", "--prefix", TOOLS_DIR, "--ignore-scripts", "--no-audit", "--no-fund", ...npms], NPM_TIMEOUT_MS);
    notes.push(`installed from npm into bench/.tools: ${npms.join(", ")}`);
  }
  return notes;
}
