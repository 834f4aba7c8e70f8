// `loadr run` flags that change what a run prints, in-process against the real demo target:
// --http-debug (heads, =full bodies, credentials redacted), --no-summary, --log-format json,
// --no-thresholds and --tag (as the overrides the CLI makes of them).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal, type LocalRunCommand } from "../../../src/cli/run/run-local.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { writePlan } from "../../helpers/plans.ts";

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await demo.stop();
});

const LOGIN = `
baseUrl: \${env.BASE_URL}
iterations: 1
flow:
  - request:
      name: login
      method: POST
      url: /login
      json: { user: alice, password: wonderland }
      checks: [{ status: 200 }]
      extract: { token: { json: "$.token" } }
  - request:
      name: me
      url: /me
      headers: { authorization: "Bearer \${vars.token}" }
      checks: [{ status: 200 }]
`;

async function run(extra: Partial<LocalRunCommand>, yaml = LOGIN) {
  const plan = writePlan(yaml);
  const { io, stdout, stderr } = memoryIO({ BASE_URL: demo.url });
  try {
    const code = await runLocal({ planPath: plan.planPath, env: io.env, workers: 1, segment: WHOLE, summaryJson: plan.path("s.json"), quiet: false, color: false, ...extra }, io);
    const summary = existsSync(plan.path("s.json")) ? JSON.parse(readFileSync(plan.path("s.json"), "utf8")) : undefined;
    return { code, stdout: stdout(), stderr: stderr(), summary };
  } finally {
    plan.cleanup();
  }
}

describe("--http-debug", () => {
  test("heads of each request and response, authorization and cookies redacted", async () => {
    const { code, stderr } = await run({ httpDebug: { bodies: false, unsafe: false } });
    expect(code).toBe(0);
    expect(stderr).toContain("http-debug vu=1 scenario=default name=login\nRequest:\nPOST /login HTTP/1.1\n");
    expect(stderr).toMatch(/Request:\nGET \/me HTTP\/1\.1\nauthorization: \[redacted\]\n/);
    expect(stderr).toMatch(/\ncookie: \[redacted\]\n/);
    expect(stderr).toMatch(/Response:\nHTTP\/1\.1 200 OK\nset-cookie: \[redacted\]\n/i);
    const token = /"token":"([^"]+)"/.exec(stderr);
    expect(token).toBeNull();
    expect(stderr).not.toContain("wonderland");
  });

  test("=full adds the bodies; =unsafe shows the credentials", async () => {
    const full = (await run({ httpDebug: { bodies: true, unsafe: false } })).stderr;
    expect(full).toContain('\n\n{"user":"alice","password":"wonderland"}\n');
    expect(full).toMatch(/\n\n\{"token":"[0-9a-f]+"\}\n/);
    expect(full).toContain('\n\n{"user":"alice"}\n');
    expect(full).toContain("authorization: [redacted]");
    const unsafe = (await run({ httpDebug: { bodies: true, unsafe: true } })).stderr;
    const token = /"token":"([0-9a-f]+)"/.exec(unsafe)![1];
    expect(unsafe).toContain(`authorization: Bearer ${token}`);
  });

  test("off by default: nothing of the exchanges is printed", async () => {
    expect((await run({})).stderr).not.toContain("Request:");
  });
});

test("--no-summary: stdout stays empty, the JSON export is still written", async () => {
  const { code, stdout, summary } = await run({ noSummary: true });
  expect(code).toBe(0);
  expect(stdout).toBe("");
  expect(summary.metrics.http_reqs.count).toBe(2);
});

test("--log-format json: every line on stderr is a JSON log object, the summary stays text on stdout", async () => {
  const { code, stdout, stderr } = await run({ logFormat: "json", httpDebug: { bodies: false, unsafe: false } });
  expect(code).toBe(0);
  const lines = stderr.trimEnd().split("\n").map((line) => JSON.parse(line) as { time: string; level: string; subsystem: string; message: string });
  expect(lines.length).toBeGreaterThan(2);
  for (const line of lines) expect(Object.keys(line)).toEqual(["time", "level", "subsystem", "message"]);
  expect(lines[0]!.message).toStartWith("running plan: default (shared-iterations)");
  expect(lines.filter((l) => l.subsystem === "http-debug").map((l) => l.message.split("\n")[2])).toEqual(["POST /login HTTP/1.1", "GET /me HTTP/1.1"]);
  expect(stdout).toContain("http_reqs");
});

test("--no-thresholds: a failing abortOnFail threshold neither aborts, fails nor shows", async () => {
  const failing = `${LOGIN}thresholds:\n  http_req_duration: [{ threshold: "max<0", abortOnFail: true }]\n`;
  const judged = await run({ quiet: true }, failing);
  expect(judged.code).toBe(99);
  const { code, stdout, summary } = await run({ quiet: true, overrides: { noThresholds: true } }, failing);
  expect(code).toBe(0);
  expect(stdout).not.toContain("THRESHOLDS");
  expect(summary.thresholds).toEqual([]);
  expect(summary.metrics.http_reqs.count).toBe(2);
});

test("--tag: every sample carries the tag, so a filter on it sees the whole run", async () => {
  const tagged = `${LOGIN}thresholds:\n  "http_reqs{env:ci}": ["count==2"]\n  "checks{env:ci}": ["rate==1"]\n`;
  const { code, summary } = await run({ quiet: true, overrides: { tags: { env: "ci" } } }, tagged);
  expect(code).toBe(0);
  expect(summary.metrics["http_reqs{env:ci}"]).toMatchObject({ count: 2, thresholds: { "count==2": { ok: true } } });
  expect(summary.metrics["checks{env:ci}"]).toMatchObject({ passes: 2, fails: 0 });
});

test("--no-color: no ANSI colors in the summary even on a terminal (citty reads --no-color as color=false)", async () => {
  const plan = writePlan(LOGIN);
  const original = { write: process.stdout.write.bind(process.stdout), isTTY: process.stdout.isTTY, noColor: process.env.NO_COLOR };
  const out: Record<string, string> = {};
  try {
    delete process.env.NO_COLOR;
    process.stdout.isTTY = true;
    for (const flags of [[], ["--no-color"]]) {
      let written = "";
      process.stdout.write = ((chunk: string | Uint8Array) => ((written += String(chunk)), true)) as typeof process.stdout.write;
      const { main } = await import("../../../src/cli/index.ts");
      expect(await main(["run", plan.planPath, "-q", "--workers", "1", "-e", `BASE_URL=${demo.url}`, ...flags])).toBe(0);
      process.stdout.write = original.write;
      out[flags.join("") || "default"] = written;
    }
  } finally {
    process.stdout.write = original.write;
    process.stdout.isTTY = original.isTTY;
    if (original.noColor !== undefined) process.env.NO_COLOR = original.noColor;
    plan.cleanup();
  }
  expect(out.default).toContain("\x1b[1mloadr\x1b[0m");
  expect(out["--no-color"]).toContain("loadr  plan");
  expect(out["--no-color"]).not.toContain("\x1b[");
});
