// Where the npm-installed peers live: bench/.tools (git-ignored), installed with --ignore-scripts.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const TOOLS_DIR = join(import.meta.dir, "..", "..", ".tools");
export const NPM_PACKAGES = ["autocannon@9", "artillery@2"];

export function npmToolPath(pkg: string, bin: string): string {
  return join(TOOLS_DIR, "node_modules", pkg, bin);
}

export function npmToolVersion(pkg: string): string {
  const file = join(TOOLS_DIR, "node_modules", pkg, "package.json");
  if (!existsSync(file)) return "";
  return `${pkg} ${(JSON.parse(readFileSync(file, "utf8")) as { version: string }).version} (npm)`;
}

/** The Node.js that runs npm tools: the system `node` (the peers are Node programs). */
export function nodeBin(): string {
  return Bun.which("node") ?? "node";
}
