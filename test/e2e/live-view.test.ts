// The live view as a user sees it, on the compiled binary: on a terminal (a pseudo-terminal from
// util-linux `script`, which every Linux has; a missing `script` fails these tests, it never
// skips them) the per-scenario block shows the VUs that run from its first drawing and updates in
// place, locally and with `--local-agents 2`; off a terminal even a 3 s run logs its progress at
// the start and the end. The summary says how many iterations each scenario completed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { requireBinary } from "../helpers/binary.ts";
import { writePlan, type PlanDir } from "../helpers/plans.ts";
import { Screen } from "../helpers/terminal.ts";
import { startDemoServer, type DemoServer } from "../../src/demo/server.ts";

const PLAN = `
name: live
baseUrl: \${env.BASE_URL}
scenarios:
  browse:
    executor: constant-vus
    vus: 4
    duration: 4s
    flow:
      - request: { url: /delay/20 }
  batch:
    executor: shared-iterations
    vus: 2
    iterations: 60
    maxDuration: 30s
    flow:
      - request: { url: /delay/50 }
`;

let demo: DemoServer;
let plan: PlanDir;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
  plan = writePlan(PLAN);
});
afterAll(async () => {
  plan.cleanup();
  await demo.stop();
});

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** Runs the binary with stderr on a 150×50 pseudo-terminal and stdout in a file; what the terminal got, raw. */
async function onTerminal(args: string[]): Promise<{ code: number; raw: string; stdout: string }> {
  const stdoutFile = plan.path(`stdout-${args.length}.txt`);
  const command = `stty cols 150 rows 50; exec ${[requireBinary(), ...args].map(quote).join(" ")} > ${quote(stdoutFile)}`;
  const child = Bun.spawn(["script", "-q", "-e", "-c", command, "/dev/null"], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, BASE_URL: demo.url, NO_COLOR: "1" },
  });
  const [raw, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (stderr.trim() !== "") throw new Error(`script said: ${stderr}`);
  return { code, raw, stdout: readFileSync(stdoutFile, "utf8") };
}

/** Each drawing of the live block (the lines between two in-place rewrites), messages left out. */
function frames(raw: string): string[][] {
  return raw
    .split(/\x1b\[\d+A\r\x1b\[J/)
    .map((part) => part.split(/\r?\n/).map((l) => l.replace(/\r/g, "")).filter((l) => l !== "" && !l.startsWith("loadr: ")))
    .filter((lines) => lines.some((l) => l.startsWith("running ")));
}

const vusOf = (runLine: string) => Number(/ vus (\d+)\/\d+ /.exec(runLine)?.[1]);

describe("on a terminal", () => {
  test("a local run: one line per scenario, non-zero VUs from the first drawing, updated in place", async () => {
    const { code, raw, stdout } = await onTerminal(["run", plan.planPath, "--workers", "2"]);
    expect(code).toBe(0);
    const drawn = frames(raw);
    expect(drawn.length).toBeGreaterThanOrEqual(3);
    const first = drawn[0]!;
    expect(first).toHaveLength(3);
    expect(first[0]).toMatch(/^browse {2}constant-vus {7}\[[=> ]{20}\] +\d+s\/4s {2}vus 4\/4 {2}\d+ complete, 0 interrupted$/);
    expect(first[1]).toMatch(/^batch {3}shared-iterations {2}\[[=> ]{20}\] +\d+\/60 iters {2}vus \d\/2 {2}\d+ complete, 0 interrupted$/);
    expect(vusOf(first[2]!)).toBeGreaterThan(0);
    expect(raw).not.toMatch(/vus 0\/0/);
    // It updates (a message above the block redraws the same drawing), and what was done only grows.
    expect(new Set(drawn.map((f) => f.join("\n"))).size).toBeGreaterThanOrEqual(3);
    const complete = drawn.map((f) => Number(/(\d+) complete/.exec(f[0]!)?.[1]));
    expect(complete).toEqual([...complete].sort((a, b) => a - b));
    // What stays on the screen: the start line, any messages, and the final drawing, once.
    const screen = new Screen();
    screen.write(raw);
    const lines = screen.lines();
    const final = drawn.at(-1)!;
    expect(lines[0]).toStartWith("loadr: running live:");
    expect(lines.slice(-final.length)).toEqual(final);
    expect(lines.slice(1, -final.length).every((l) => l.startsWith("loadr: "))).toBe(true);
    expect(final[0]).toMatch(/\[={20}\] +4s\/4s {2}vus 0\/4 /);
    expect(final[1]).toMatch(/\[={20}\] 60\/60 iters {2}vus 0\/2 {2}60 complete, 0 interrupted$/);
    // The summary: k6's "N complete and M interrupted iterations" per scenario, and vus_max.
    expect(stdout).toMatch(/^\s+browse {2}constant-vus {7}max 4 VUs {2}\d+ complete and 0 interrupted iterations$/m);
    expect(stdout).toMatch(/^\s+batch {3}shared-iterations {2}max 2 VUs {2}60 complete and 0 interrupted iterations$/m);
    expect(stdout).toMatch(/vus_max\.+: 6 /);
  }, 60_000);

  test("--local-agents 2: the fleet line and live numbers from the controller's stream", async () => {
    const { code, raw, stdout } = await onTerminal(["run", plan.planPath, "--local-agents", "2"]);
    expect(code).toBe(0);
    const drawn = frames(raw);
    expect(drawn.length).toBeGreaterThanOrEqual(3);
    const first = drawn[0]!;
    expect(first[0]).toBe("agents 2/2 healthy, 0 lost");
    expect(first[1]).toMatch(/^browse {2}constant-vus {7}\[[=> ]{20}\] +\d+s\/4s {2}vus 4\/4 /);
    expect(first[2]).toMatch(/^batch {3}shared-iterations {2}\[[=> ]{20}\] +\d+\/60 iters {2}vus \d\/2 /);
    expect(vusOf(first[3]!)).toBeGreaterThan(0);
    expect(raw).not.toMatch(/vus 0\/0/);
    // It updates (status and agent messages above the block redraw the same drawing).
    expect(new Set(drawn.map((f) => f.join("\n"))).size).toBeGreaterThanOrEqual(3);
    const requests = drawn.map((f) => f.at(-1)!).filter((line) => /\d req\/s/.test(line));
    expect(requests.length).toBeGreaterThan(0);
    const screen = new Screen();
    screen.write(raw);
    const last = screen.lines().slice(-4);
    expect(last[0]).toBe("agents 0/2 healthy, 0 lost, 2 done");
    expect(last[2]).toMatch(/60\/60 iters {2}vus 0\/2 {2}60 complete, 0 interrupted$/);
    expect(stdout).toMatch(/^\s+batch {3}shared-iterations {2}max 2 VUs {2}60 complete and 0 interrupted iterations$/m);
    expect(stdout).toMatch(/vus_max\.+: 6 /);
  }, 60_000);
});

describe("off a terminal", () => {
  test("a 3 s run logs its progress at the start and at the end", async () => {
    const short = writePlan(`
name: short
baseUrl: \${env.BASE_URL}
scenarios:
  steady:
    executor: constant-vus
    vus: 3
    duration: 3s
    flow:
      - request: { url: /delay/20 }
`);
    try {
      const child = Bun.spawn([requireBinary(), "run", short.planPath], { env: { ...process.env, BASE_URL: demo.url }, stdout: "pipe", stderr: "pipe" });
      const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
      expect(code).toBe(0);
      expect(stderr).not.toContain("\x1b");
      const runLines = stderr.split("\n").filter((l) => l.startsWith("loadr: t="));
      expect(runLines.length).toBeGreaterThanOrEqual(2);
      expect(runLines[0]).toMatch(/^loadr: t=\ds\/3s vus=3\/3 /);
      const scenarioLines = stderr.split("\n").filter((l) => l.startsWith("loadr:   steady constant-vus"));
      expect(scenarioLines.length).toBe(runLines.length);
      expect(scenarioLines.at(-1)).toMatch(/vus=0\/3 time=3s\/3s complete=\d+ interrupted=0 dropped=0$/);
      expect(stdout).toMatch(/^\s+steady {2}constant-vus {2}max 3 VUs {2}\d+ complete and 0 interrupted iterations$/m);
    } finally {
      short.cleanup();
    }
  }, 60_000);
});
