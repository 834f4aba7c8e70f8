#!/usr/bin/env node
// Runs the project's pinned Bun (an npm devDependency) with the given arguments, so that the
// README's commands work on a machine that has only Node and npm. Falls back to the binary in
// the platform package when the `bun` package's postinstall script did not run.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const exe = process.platform === "win32" ? "bun.exe" : "bun";
const platformPackage = `bun-${process.platform}-${process.arch === "x64" ? "x64" : process.arch}`;
const candidates = [
  join(root, "node_modules", "bun", "bin", "bun.exe"),
  join(root, "node_modules", "@oven", platformPackage, "bin", exe),
  join(root, "node_modules", "@oven", `${platformPackage}-baseline`, "bin", exe),
];
const bun = candidates.find((path) => existsSync(path));
if (!bun) {
  console.error("loadr: Bun was not found in node_modules. Run `npm install` in the repository first.");
  process.exit(1);
}
const child = spawn(bun, process.argv.slice(2), { stdio: "inherit", cwd: process.cwd() });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 + 1 : 1)));
