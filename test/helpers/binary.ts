// The compiled executable, for e2e tests (`npm test` builds it first when stale).
import { existsSync } from "node:fs";
import { join } from "node:path";

export const BINARY = join(import.meta.dir, "..", "..", "dist", `loadr-${process.platform}-${process.arch}`);

export function requireBinary(): string {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`npm run build\` (npm test builds it)`);
  return BINARY;
}

/** Spawns the binary and waits until `pattern` shows in its stdout; returns the match. */
export async function spawnUntil(
  args: string[],
  pattern: RegExp,
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<{ process: Bun.Subprocess<"ignore", "pipe", "pipe">; match: RegExpMatchArray }> {
  const child = Bun.spawn([requireBinary(), ...args], { cwd: options.cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const decoder = new TextDecoder();
  let seen = "";
  const reader = child.stdout.getReader();
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      Bun.sleep(Math.max(0, deadline - Date.now())).then(() => undefined),
    ]);
    if (!chunk || chunk.done) break;
    seen += decoder.decode(chunk.value, { stream: true });
    const match = seen.match(pattern);
    if (match) {
      reader.releaseLock();
      return { process: child, match };
    }
  }
  child.kill();
  throw new Error(`loadr ${args.join(" ")} did not print ${pattern} in time; it printed: ${seen}`);
}
