// The README's quick start, as a new user types it: `npm start` runs a real load test against the
// built-in demo target and prints a passing summary; `npm run loadr -- …` reaches the CLI.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");

async function npm(args: string[]) {
  const child = Bun.spawn(["npm", ...args], { cwd: root, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

describe("the README's commands", () => {
  test("npm run loadr -- version", async () => {
    const { code, stdout } = await npm(["run", "--silent", "loadr", "--", "version"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^loadr \d+\.\d+\.\d+ \(from source, protocol \d+, [a-z0-9-]+, bun \d/m);
  }, 60_000);

  test("npm start runs the quickstart plan against the demo target and its thresholds pass", async () => {
    const { code, stdout, stderr } = await npm(["start", "--silent"]);
    expect(stderr).toContain("demo target listening on http://127.0.0.1:");
    expect(code).toBe(0);
    expect(stdout).toMatch(/http_reqs\.+: \d+/);
    expect(stdout).toContain("✓ p(95)<500");
    expect(stdout).not.toMatch(/^\s*✗ /m); // no failed threshold or check
    expect(stdout).toMatch(/checks\.+: 100\.00%/);
  }, 60_000);
});
