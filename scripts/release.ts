// `npm run release`: every release target (scripts/build.ts RELEASE_TARGETS) compiled, packed and
// summed into dist/:
//   loadr-<target>.tar.gz (loadr-windows-x64.zip for Windows) holding the binary as `loadr`
//   (`loadr.exe`), README.md and LICENSE;
//   SHA256SUMS ("<sha256>  <archive>" lines, as `sha256sum -c` reads them);
//   manifest.json: version, commit, build date, and per target its archive, sizes and sum.
// Archive names carry no version, so "latest" download URLs stay stable (scripts/install.sh
// builds them from the OS and CPU alone).
// Flags: --targets a,b (default: all), --out DIR (default dist), --prebuilt DIR (take binaries
// already built there instead of compiling them; for tests that already have the host binary).
// Exit 1 when any requested target could not be built.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { zipSync } from "fflate";
import { binaryName, buildTargets, RELEASE_TARGETS } from "./build.ts";
import { buildInfo } from "../src/shared/build-info.ts";

const root = join(import.meta.dir, "..");

export interface ReleaseEntry {
  target: string;
  archive: string;
  binaryBytes: number;
  archiveBytes: number;
  sha256: string;
}

export interface ReleaseManifest {
  version: string;
  commit: string;
  buildDate: string;
  protocolVersion: number;
  targets: ReleaseEntry[];
}

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

export function archiveName(target: string): string {
  return `loadr-${target}${target.startsWith("windows") ? ".zip" : ".tar.gz"}`;
}

/** Packs one binary with README and LICENSE; returns the archive's path. */
function pack(target: string, binary: string, outDir: string): string {
  const archive = join(outDir, archiveName(target));
  const exe = target.startsWith("windows") ? "loadr.exe" : "loadr";
  if (target.startsWith("windows")) {
    const files = {
      [exe]: readFileSync(binary),
      "README.md": readFileSync(join(root, "README.md")),
      LICENSE: readFileSync(join(root, "LICENSE")),
    };
    writeFileSync(archive, zipSync(files, { level: 6 }));
    return archive;
  }
  const stage = mkdtempSync(join(tmpdir(), "loadr-release-"));
  try {
    copyFileSync(binary, join(stage, exe));
    copyFileSync(join(root, "README.md"), join(stage, "README.md"));
    copyFileSync(join(root, "LICENSE"), join(stage, "LICENSE"));
    const tar = spawnSync("tar", ["-czf", archive, "-C", stage, exe, "README.md", "LICENSE"], { encoding: "utf8" });
    if (tar.status !== 0) throw new Error(`tar failed for ${target}: ${tar.stderr.trim()}`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return archive;
}

export function release(options: { targets: readonly string[]; outDir: string; prebuilt?: string }): { manifest: ReleaseManifest; failed: Map<string, string> } {
  mkdirSync(options.outDir, { recursive: true });
  const binDir = join(options.outDir, "bin");
  const toBuild = options.targets.filter((t) => !(options.prebuilt && existsSync(join(options.prebuilt, binaryName(t)))));
  const failed = toBuild.length > 0 ? buildTargets(toBuild, binDir) : new Map<string, string>();
  const info = buildInfo();
  const commit = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).stdout?.trim() || "unknown";
  const manifest: ReleaseManifest = { version: info.version, commit, buildDate: new Date().toISOString(), protocolVersion: info.protocolVersion, targets: [] };
  for (const target of options.targets) {
    if (failed.has(target)) continue;
    const prebuilt = options.prebuilt ? join(options.prebuilt, binaryName(target)) : undefined;
    const binary = prebuilt && existsSync(prebuilt) ? prebuilt : join(binDir, binaryName(target));
    const archive = pack(target, binary, options.outDir);
    manifest.targets.push({
      target,
      archive: archiveName(target),
      binaryBytes: statSync(binary).size,
      archiveBytes: statSync(archive).size,
      sha256: sha256(archive),
    });
  }
  rmSync(binDir, { recursive: true, force: true });
  writeFileSync(join(options.outDir, "SHA256SUMS"), manifest.targets.map((t) => `${t.sha256}  ${t.archive}\n`).join(""));
  writeFileSync(join(options.outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return { manifest, failed };
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  for (const arg of argv) {
    if (arg.startsWith("--") && !["--targets", "--out", "--prebuilt"].includes(arg)) {
      console.error(`release: unknown flag ${arg} (flags: --targets a,b  --out DIR  --prebuilt DIR)`);
      process.exit(2);
    }
  }
  const targets = flag("--targets")?.split(",").filter(Boolean) ?? [...RELEASE_TARGETS];
  const unknown = targets.filter((t) => !(RELEASE_TARGETS as readonly string[]).includes(t));
  if (unknown.length > 0) {
    console.error(`release: unknown target ${unknown.join(", ")} (targets: ${RELEASE_TARGETS.join(", ")})`);
    process.exit(2);
  }
  const prebuilt = flag("--prebuilt");
  const { manifest, failed } = release({ targets, outDir: resolve(root, flag("--out") ?? "dist"), ...(prebuilt ? { prebuilt: resolve(prebuilt) } : {}) });
  for (const t of manifest.targets) {
    console.log(`${t.archive.padEnd(34)} binary ${(t.binaryBytes / 1e6).toFixed(1)} MB, archive ${(t.archiveBytes / 1e6).toFixed(1)} MB, sha256 ${t.sha256.slice(0, 16)}…`);
  }
  if (failed.size > 0) {
    console.error(`release: ${failed.size} target(s) failed: ${[...failed.keys()].join(", ")}`);
    process.exit(1);
  }
}
