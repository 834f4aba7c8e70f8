// The GitHub Action (action.yml), run locally the way a runner runs a composite action: each
// `run:` step in order, with its `env:` mapping evaluated from the inputs, a fake GITHUB_* and
// RUNNER_* environment, and the binary downloaded from a local release server (scripts/release.ts
// output) and verified. `uses:` steps (cache, upload-artifact) are GitHub's own and are not run.
// A passing plan ends the job with 0, a failing threshold with 99; the step summary gets loadr's
// markdown.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { requireBinary } from "../../helpers/binary.ts";

const root = join(import.meta.dir, "..", "..", "..");
const host = `${process.platform}-${process.arch}`;
let work: string;
let release: ReturnType<typeof Bun.serve>;
let target: ReturnType<typeof Bun.serve>;

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "loadr-action-"));
  const prebuilt = join(work, "prebuilt");
  mkdirSync(prebuilt);
  copyFileSync(requireBinary(), join(prebuilt, `loadr-${host}`));
  const dist = join(work, "release");
  const built = Bun.spawnSync([process.execPath, "scripts/release.ts", "--targets", host, "--out", dist, "--prebuilt", prebuilt], { cwd: root, stderr: "pipe" });
  if (built.exitCode !== 0) throw new Error(built.stderr.toString());
  release = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      const file = join(dist, new URL(request.url).pathname.slice(1));
      return existsSync(file) ? new Response(readFileSync(file)) : new Response("not found", { status: 404 });
    },
  });
  target = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("ok") });
}, 120_000);

afterAll(() => {
  release?.stop(true);
  target?.stop(true);
  rmSync(work, { recursive: true, force: true });
});

/** Evaluates the `${{ … }}` expressions this action uses. */
function evaluate(text: string, context: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    if (!(expression in context)) throw new Error(`action.yml uses \${{ ${expression} }}, which this harness does not know`);
    return context[expression]!;
  });
}

async function runAction(inputs: Record<string, string>): Promise<{ exitCode: number; summary: string; log: string; dir: string }> {
  const action = parse(readFileSync(join(root, "action.yml"), "utf8")) as { inputs: Record<string, { default?: string }>; runs: { steps: Step[] } };
  const dir = mkdtempSync(join(work, "job-"));
  const files = { GITHUB_STEP_SUMMARY: join(dir, "summary.md"), GITHUB_PATH: join(dir, "path"), GITHUB_OUTPUT: join(dir, "output") };
  for (const file of Object.values(files)) writeFileSync(file, "");
  const context: Record<string, string> = { "github.action_path": root, "runner.tool_cache": join(dir, "tools"), "runner.os": "Linux", "runner.arch": "X64" };
  for (const [name, spec] of Object.entries(action.inputs)) context[`inputs.${name}`] = inputs[name] ?? spec.default ?? "";
  const outputs: Record<string, string> = {};
  let log = "";
  let exitCode = 0;
  for (const step of action.runs.steps) {
    if (step.uses) continue;
    for (const [key, value] of Object.entries(outputs)) context[`steps.${key}`] = value;
    for (const key of ["steps.run.outputs.exit-code", "steps.run.outputs.summary-json"]) context[key] ??= "";
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...files, RUNNER_TEMP: dir, GITHUB_WORKSPACE: dir };
    for (const [key, value] of Object.entries(step.env ?? {})) env[key] = evaluate(String(value), context);
    writeFileSync(files.GITHUB_OUTPUT, "");
    const child = Bun.spawn(["bash", "-c", evaluate(step.run!, context)], { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    log += stdout + stderr;
    for (const line of readFileSync(files.GITHUB_OUTPUT, "utf8").split("\n").filter(Boolean)) {
      const eq = line.indexOf("=");
      if (step.id) outputs[`${step.id}.outputs.${line.slice(0, eq)}`] = line.slice(eq + 1);
    }
    if (code !== 0) {
      exitCode = code;
      if (step.if !== "always()") break;
    }
  }
  return { exitCode, summary: readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"), log, dir };
}

function plan(threshold: string): string {
  const path = join(work, `plan-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    path,
    `name: action-check
scenarios:
  once:
    executor: shared-iterations
    vus: 1
    iterations: 5
    flow:
      - request: { url: "http://127.0.0.1:${target.port}/", checks: [{ status: 200 }] }
thresholds:
  http_req_duration: ["${threshold}"]
`,
  );
  return path;
}

describe("action.yml run locally", () => {
  test("a passing plan: the binary is installed from the release and verified, the job passes, the summary and report are written", async () => {
    const { exitCode, summary, log, dir } = await runAction({ plan: plan("p(95)<60000"), "release-url": `http://127.0.0.1:${release.port}`, report: "loadr-report.html" });
    expect(log).toContain(`loadr install: loadr-${host}.tar.gz from http://127.0.0.1:${release.port}`);
    expect(exitCode).toBe(0);
    expect(summary).toContain("p(95)<60000");
    // The files the upload step would attach: the HTML report and the summary JSON.
    expect(readFileSync(join(dir, "loadr-report.html"), "utf8")).toContain("action-check");
    expect(JSON.parse(readFileSync(join(dir, "loadr-summary.json"), "utf8")).metrics.http_reqs.count).toBe(5);
  }, 60_000);

  test("a failing threshold fails the job with 99 and says so", async () => {
    const { exitCode, summary, log } = await runAction({ plan: plan("p(95)<0.001"), "release-url": `http://127.0.0.1:${release.port}`, args: "--quiet" });
    expect(exitCode).toBe(99);
    expect(log).toContain("::error::loadr: a threshold failed (exit 99)");
    expect(summary).toContain("p(95)<0.001");
  }, 60_000);

  test("a missing plan fails the run step with a clear message", async () => {
    const { exitCode, log } = await runAction({ plan: join(work, "nope.yaml"), "release-url": `http://127.0.0.1:${release.port}` });
    expect(exitCode).not.toBe(0);
    expect(log).toContain("plan file not found");
  }, 60_000);
});
