// `npm test`: runs the whole suite with `bun test` and ends with the line CI reads,
// `N passed, N failed`. Extra arguments go to `bun test` (e.g. a path filter).
// The e2e tests spawn the compiled binary, so it is built first when missing or stale.
import { spawn } from "node:child_process";
import { existsSync, statSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const binary = join(root, "dist", `loadr-${process.platform}-${process.arch}`);

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function run(args: string[], capture: boolean): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: process.env });
    let output = "";
    const forward = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
      if (capture) output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on("data", forward(process.stdout));
    child.stderr.on("data", forward(process.stderr));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

if (!existsSync(binary) || statSync(binary).mtimeMs < newestSource(join(root, "src"))) {
  const build = await run(["scripts/build.ts"], false);
  if (build.code !== 0) {
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
}

// The suite lives in test/; bench/test holds the benchmark harness's own parser tests.
const paths = process.argv.length > 2 ? process.argv.slice(2) : ["./test", "./bench/test"];
const { code, output } = await run(["test", "--timeout", "60000", ...paths], true);
const passed = Number(/^\s*(\d+) pass\s*$/m.exec(output)?.[1] ?? 0);
const failed = Number(/^\s*(\d+) fail\s*$/m.exec(output)?.[1] ?? 0);
const errors = Number(/^\s*(\d+) errors?\s*$/m.exec(output)?.[1] ?? 0);
console.log(`${passed} passed, ${failed + errors} failed`);
process.exit(code !== 0 && failed + errors === 0 ? 1 : code);
