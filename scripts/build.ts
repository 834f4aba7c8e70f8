// `npm run build`: compiles the single-file executable to dist/loadr-<os>-<arch>.
// `npm run build -- --all` also cross-compiles for every supported target; a target whose
// runtime cannot be fetched is reported and the others still build.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const ALL_TARGETS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "windows-x64"];
// Browser bundles (the report's page, the web UI) need nothing here: the ui-kit's macro
// (src/ui-kit/bundle.ts) builds them while this compile runs and inlines them as strings.
/** Worker entry files: embedded only when passed as entrypoints beside the main one. */
const ENTRYPOINTS = ["src/main.ts", "src/vu-worker.ts"];

const host = `${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
const targets = process.argv.includes("--all") ? [host, ...ALL_TARGETS.filter((t) => t !== host)] : [host];
mkdirSync(join(root, "dist"), { recursive: true });

const failed: string[] = [];
for (const target of targets) {
  const outfile = join(root, "dist", `loadr-${target}${target.startsWith("windows") ? ".exe" : ""}`);
  const args = ["build", "--compile", "--minify", "--bytecode", "--format=esm", ...ENTRYPOINTS, "--outfile", outfile];
  if (target !== host) args.push(`--target=bun-${target}`);
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  if (result.status === 0) {
    console.log(`built ${outfile}`);
  } else {
    failed.push(target);
    console.error(`could not build ${target}: ${(result.stderr || result.stdout).trim().split("\n").slice(-3).join(" ")}`);
  }
}
if (failed.length > 0) {
  console.error(`${failed.length} of ${targets.length} targets failed: ${failed.join(", ")}`);
  process.exit(failed.includes(host) ? 1 : 0);
}
