// A real `loadr controller` process (from source, HTTP API on port 0) must never read its own disk
// for a submitted plan: every data file a plan names (CSV feed, body file, CA file) resolves only
// against the files shipped with it. Each probe of issue 11 finding 1 is refused with a 422 that
// echoes nothing of the file, the controller's memory stays flat, and a FIFO it would block on is
// never opened. The process is killed by PID.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir, waitFor } from "./helpers.ts";

const MAIN = join(import.meta.dir, "../../../src/main.ts");
const TOKEN = "TOKEN_MARKER_9c1d4e";
const SECRET = "SECRET_MARKER_7f3a2b";

const tmp = tempDir("loadr-disk-");
const dataDir = join(tmp.dir, "data");
let child: ChildProcess;
let http = "";
let output = "";

beforeAll(async () => {
  mkdirSync(dataDir);
  // The same secret where a careless loader might look: an absolute path, the controller's cwd,
  // its data dir (where runs used to be materialized), and what `..` from a run directory reaches.
  for (const dir of [tmp.dir, dataDir]) writeFileSync(join(dir, "secret.csv"), `${SECRET},b\n1,2\n`);
  const fifo = spawnSync("mkfifo", [join(tmp.dir, "fifo.csv")]);
  if (fifo.status !== 0) throw new Error(`mkfifo failed: ${fifo.stderr}`);
  child = spawn(process.execPath, [MAIN, "controller", "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data-dir", dataDir, "--api-token", TOKEN], {
    cwd: tmp.dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const m = await waitFor("controller ready", () => /HTTP API (http:\/\/[\d.:]+)/.exec(output) ?? undefined, 15_000);
  http = m[1]!;
});

afterAll(() => {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  tmp.cleanup();
});

const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? NaN);

async function submit(plan: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${http}/api/runs`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ plan }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text() };
}

/** A plan whose feed is `path`; its URL names a missing column, so a loader that read the file would list its header. */
const csvPlan = (path: string) => `name: probe
baseUrl: http://127.0.0.1:9
data:
  f: { csv: "${path}" }
scenarios:
  s:
    executor: shared-iterations
    vus: 1
    iterations: 1
    flow:
      - request: { url: "/\${data.f.nope}" }
`;

const bodyPlan = (path: string) => `name: probe
baseUrl: http://127.0.0.1:9
scenarios:
  s:
    executor: shared-iterations
    vus: 1
    iterations: 1
    flow:
      - request: { method: POST, url: /, file: "${path}" }
`;

const caPlan = (path: string) => `name: probe
baseUrl: http://127.0.0.1:9
defaults:
  tls: { ca: "${path}" }
scenarios:
  s:
    executor: shared-iterations
    vus: 1
    iterations: 1
    flow:
      - request: { url: / }
`;

function expectNothingEchoed(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain("SQLite format");
  expect(text).not.toContain("root:");
  // Nor where the controller keeps its runs.
  expect(text).not.toContain(join(dataDir, "runs"));
}

test("absolute paths are refused before any read: the controller's cmdline (its API token), /etc/shadow, its SQLite, /dev/zero, a FIFO", async () => {
  const before = rssKb();
  const paths = ["/proc/self/cmdline", "/proc/self/environ", "/etc/shadow", "/etc/passwd", join(dataDir, "controller.sqlite"), "/dev/zero", join(tmp.dir, "secret.csv"), join(tmp.dir, "fifo.csv")];
  for (const path of paths) {
    for (const plan of [csvPlan(path), bodyPlan(path), caPlan(path)]) {
      const { status, text } = await submit(plan);
      expect(status).toBe(422);
      expect(text).toContain("is absolute; a submitted plan may name only files shipped with it");
      expectNothingEchoed(text);
    }
  }
  // /dev/zero read to its end took this process to 6 GB; refused unread it costs nothing.
  expect(rssKb() - before).toBeLessThan(200 * 1024);
}, 60_000);

test("relative paths resolve against the shipped files only: not the cwd, not the data dir, not `..`", async () => {
  for (const path of ["secret.csv", "data/secret.csv", "data/controller.sqlite", "fifo.csv"]) {
    const { status, text } = await submit(csvPlan(path));
    expect(status).toBe(422);
    expect(text).toContain(`CSV file ${path} was not shipped with the plan`);
    expectNothingEchoed(text);
  }
  for (const path of ["../secret.csv", "../../secret.csv", "../../../secret.csv", "a/../../secret.csv"]) {
    const { status, text } = await submit(csvPlan(path));
    expect(status).toBe(422);
    expect(text).toContain("leaves the plan's directory");
    expectNothingEchoed(text);
  }
});

test("a shipped file is used, and its problems are reported without the controller's paths", async () => {
  const shipped = Buffer.from("name,pass\nann,1\n").toString("base64");
  const res = await fetch(`${http}/api/runs`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ plan: csvPlan("users.csv"), files: { "users.csv": shipped } }),
  });
  const text = await res.text();
  // The file was read (from the submission): its header is what the missing column is checked against.
  expect(res.status).toBe(422);
  expect(text).toContain(`feed \\"f\\" has no column \\"nope\\"`);
  expect(text).toContain("columns: name, pass");
  expect(text).not.toContain(dataDir);
  expect(text).not.toContain(tmp.dir);
});
