// `npm run build`: compiles the single-file executable to dist/loadr-<target>[.exe].
// `npm run build -- --all` also cross-compiles for every supported target (RELEASE_TARGETS);
// `--targets a,b` builds the listed ones; `--out DIR` writes elsewhere than dist/. A target whose
// runtime cannot be fetched is reported and the others still build; the exit code is 1 only when
// the host's own target failed. Every binary is stamped with its commit, build date and target
// (src/shared/build-info.ts).
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

const root = join(import.meta.dir, "..");
/** Every target a release ships; `-baseline` builds run on x64 CPUs without AVX2. */
export const RELEASE_TARGETS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "windows-x64", "linux-x64-baseline", "linux-arm64-baseline"] as const;
// Browser bundles (the report's page, the web UI) need nothing here: the ui-kit's macro
// (src/ui-kit/bundle.ts) builds them while this compile runs and inlines them as strings.
/** Worker entry files: embedded only when passed as entrypoints beside the main one. */
const ENTRYPOINTS = ["src/main.ts", "src/vu-worker.ts"];

export const HOST_TARGET = `${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;

export function binaryName(target: string): string {
  return `loadr-${target}${target.startsWith("windows") ? ".exe" : ""}`;
}

function gitCommit(): string {
  const result = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : "unknown";
}

/** Builds `targets` into `outDir`; returns the targets that failed, each with its reason. */
export function buildTargets(targets: readonly string[], outDir: string): Map<string, string> {
  mkdirSync(outDir, { recursive: true });
  const commit = gitCommit();
  const date = new Date().toISOString();
  const failed = new Map<string, string>();
  for (const target of targets) {
    const outfile = join(outDir, binaryName(target));
    const defines = { LOADR_BUILD_COMMIT: commit, LOADR_BUILD_DATE: date, LOADR_BUILD_TARGET: target };
    const args = ["build", "--compile", "--minify", "--bytecode", "--format=esm", ...ENTRYPOINTS, "--outfile", outfile];
    for (const [name, value] of Object.entries(defines)) args.push("--define", `${name}=${JSON.stringify(value)}`);
    if (target !== HOST_TARGET) args.push(`--target=bun-${target}`);
    const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    if (result.status === 0) {
      console.log(`built ${outfile}`);
    } else {
      const reason = (result.stderr || result.stdout).trim().split("\n").slice(-3).join(" ");
      failed.set(target, reason);
      console.error(`could not build ${target}: ${reason}`);
    }
  }
  return failed;
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const listed = flag("--targets")?.split(",").filter(Boolean);
  const targets = listed ?? (argv.includes("--all") ? [HOST_TARGET, ...RELEASE_TARGETS.filter((t) => t !== HOST_TARGET)] : [HOST_TARGET]);
  const outDir = resolve(root, flag("--out") ?? "dist");
  const failed = buildTargets(targets, outDir);
  if (failed.size > 0) {
    console.error(`${failed.size} of ${targets.length} targets failed: ${[...failed.keys()].join(", ")}`);
    process.exit(failed.has(HOST_TARGET) || listed !== undefined ? 1 : 0);
  }
}
