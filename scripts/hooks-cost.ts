// The cost of a `js` step (docs/hooks.md "Cost"): iterations per second of a flow with one request
// against a local Bun server, vs the same flow plus one `js` step that returns a small object;
// `loadr run --workers 1` (one generator thread, so the difference is that thread's time), rounds
// interleaved, medians. Also the bare call: the hook runtime's call of that function, in-process.
//
//   node scripts/bun.mjs scripts/hooks-cost.ts [--rounds 3] [--duration 5] [--vus 32]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadHooks } from "../src/hooks/module.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" }, duration: { type: "string", default: "5" }, vus: { type: "string", default: "32" } } });
const rounds = Math.max(1, Number(values.rounds));
const duration = Math.max(1, Number(values.duration));
const vus = Math.max(1, Number(values.vus));
const root = join(import.meta.dir, "..");

const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("ok") });
const dir = mkdtempSync(join(tmpdir(), "loadr-hooks-cost-"));
try {
  writeFileSync(join(dir, "hooks.ts"), "export function tag(ctx: { iteration: number }) {\n  return { n: ctx.iteration, kind: \"small\" };\n}\n");
  const plan = (withJs: boolean) => `
baseUrl: http://127.0.0.1:${server.port}
hooks: ./hooks.ts
scenarios:
  cost:
    executor: constant-vus
    vus: ${vus}
    duration: ${duration}s
    flow:
${withJs ? "      - js: tag\n" : ""}      - request: { url: /x }
`;
  writeFileSync(join(dir, "plain.yaml"), plan(false));
  writeFileSync(join(dir, "js.yaml"), plan(true));

  const runOnce = async (name: string): Promise<number> => {
    const summary = join(dir, `${name}.json`);
    const child = Bun.spawn([process.execPath, join(root, "src/main.ts"), "run", join(dir, `${name}.yaml`), "--workers", "1", "--quiet", "--no-summary", "--summary-json", summary], {
      stdout: "ignore",
      stderr: "pipe",
    });
    const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
    if (code !== 0) throw new Error(`loadr run ${name}.yaml exited ${code}: ${stderr}`);
    const result = JSON.parse(readFileSync(summary, "utf8"));
    return result.metrics.iterations.rate as number;
  };

  const plain: number[] = [];
  const js: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    plain.push(await runOnce("plain"));
    js.push(await runOnce("js"));
    console.error(`round ${round}/${rounds}: one request ${plain.at(-1)!.toFixed(0)} it/s, + js step ${js.at(-1)!.toFixed(0)} it/s`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const a = median(plain);
  const b = median(js);
  const perIteration = (1 / b - 1 / a) * 1e6;

  // The bare call, in-process: the runtime's call of the same function with a ctx-like object.
  const hooks = await loadHooks(
    { module: "./hooks.ts", files: ["hooks.ts"], exports: ["tag"], allow: [], timeoutMs: 1000, setupTimeoutMs: 10_000, loc: { file: "", line: 1, column: 1 } },
    dir,
    () => {},
  );
  const calls = 200_000;
  const ctx = { iteration: 0 };
  const started = performance.now();
  for (let i = 0; i < calls; i++) hooks.call("tag", ctx, "", 1000);
  const perCall = ((performance.now() - started) * 1000) / calls;
  hooks.close();

  console.log(`one request:            ${a.toFixed(0)} iterations/s (median of ${rounds}; ${vus} VUs, ${duration} s, --workers 1)`);
  console.log(`one request + js step:  ${b.toFixed(0)} iterations/s (${((b / a - 1) * 100).toFixed(1)} %)`);
  console.log(`js step cost:           ${perIteration.toFixed(1)} µs per iteration on the generator thread (from the two rates)`);
  console.log(`bare hook call:         ${perCall.toFixed(2)} µs per call (vm call with its time limit, ${calls} calls)`);
} finally {
  server.stop(true);
  rmSync(dir, { recursive: true, force: true });
}
