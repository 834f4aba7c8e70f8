// `node scripts/bun.mjs scripts/webui-screenshots.ts [--out docs] [--measure]`: the README's screenshots of the
// web UI and its two measurements, from real pieces on loopback: `loadr controller` and three
// `loadr agent`s (processes from source, killed by PID at the end), the demo target (in this
// process), Debian's chromium (playwright-core).
//   docs/webui-fleet.png, docs/webui-live-run.png, docs/webui-finished-run.png, docs/webui-compare.png
// It prints the bundle's size as served (gzip) and the first contentful paint of the fleet page on
// loopback (median of FIRST_PAINT_SAMPLES fresh page loads, playwright's performance timing).
// `--measure`: the measurements only (no runs, no screenshots).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { startDemoServer } from "../src/demo/server.ts";
import { bundleSizes } from "../src/webui/serve.ts";
import { openBrowser } from "../test/helpers/browser.ts";

const FIRST_PAINT_SAMPLES = 7;
const root = join(import.meta.dir, "..");
const outIndex = process.argv.indexOf("--out");
const out = resolve(root, outIndex > 0 ? process.argv[outIndex + 1]! : "docs");
mkdirSync(out, { recursive: true });
const reference = join(root, "test/fixtures/config/reference");

async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(100);
  }
}

const children: ChildProcess[] = [];
function loadr(args: string[]): { output(): string } {
  const child = spawn(process.execPath, [join(root, "src/main.ts"), ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  return { output: () => output };
}

const dataDir = mkdtempSync(join(tmpdir(), "loadr-screens-"));
const demo = await startDemoServer({ port: 0, hostname: "127.0.0.1" });
const controller = loadr(["controller", "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data-dir", dataDir]);
const browser = await openBrowser();
try {
  const [, grpc, url] = await until("the controller", () => /agents join ([\d.]+:\d+); HTTP API (http:\/\/[\d.:]+)/.exec(controller.output()) ?? undefined);
  for (const [name, labels] of [["alpha", "pool=default,region=eu-west"], ["bravo", "pool=default,region=us-east"], ["charlie", "pool=spare,region=eu-west"]]) {
    loadr(["agent", "--join", grpc!, "--name", name!, "--labels", labels!, "--workers", "1"]);
  }
  await until("3 idle agents", async () => ((await (await fetch(`${url}/api/agents`)).json()) as { agents: Array<{ state: string }> }).agents.filter((a) => a.state === "idle").length === 3);
  const page = await browser.page({ colorScheme: "light" });
  await page.goto(`${url}/#/fleet`);
  await page.locator("[data-testid=fleet-table] tbody tr").nth(2).waitFor();

  // First contentful paint of a fresh load of the fleet page (bundle cached by ETag only: revalidated each time).
  const paints: number[] = [];
  for (let i = 0; i < FIRST_PAINT_SAMPLES; i++) {
    const fresh = await browser.page({ colorScheme: "light" });
    await fresh.goto(`${url}/#/fleet`);
    await fresh.locator("[data-testid=fleet-table] tbody tr").first().waitFor();
    if (i === FIRST_PAINT_SAMPLES - 1) {
      // Page code as a string: this program is typed without the DOM.
      const t = (await fresh.evaluate(`(() => {
        const nav = performance.getEntriesByType("navigation")[0];
        const res = (name) => performance.getEntriesByType("resource").find((r) => r.name.endsWith(name))?.responseEnd ?? NaN;
        return { html: nav.responseEnd, js: res("/assets/app.js"), css: res("/assets/app.css"), dcl: nav.domContentLoadedEventEnd, ui: res("/api/ui") };
      })()`)) as Record<"html" | "js" | "css" | "dcl" | "ui", number>;
      console.log(`last load: html ${t.html.toFixed(0)} ms, app.css ${t.css.toFixed(0)} ms, app.js ${t.js.toFixed(0)} ms, DOMContentLoaded ${t.dcl.toFixed(0)} ms, /api/ui ${t.ui.toFixed(0)} ms`);
    }
    paints.push((await fresh.evaluate(`performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN`)) as number);
    await fresh.context().close();
  }
  const sizes = await bundleSizes();
  const sorted = [...paints].sort((a, b) => a - b);
  console.log(`bundle: app.js ${(sizes.js / 1024).toFixed(1)} KiB (${(sizes.jsGzip / 1024).toFixed(1)} KiB gzip), app.css ${(sizes.css / 1024).toFixed(1)} KiB (${(sizes.cssGzip / 1024).toFixed(1)} KiB gzip); total gzip ${((sizes.jsGzip + sizes.cssGzip) / 1024).toFixed(1)} KiB`);
  console.log(`first contentful paint of the fleet page on loopback: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms (min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}; ${FIRST_PAINT_SAMPLES} loads)`);
  console.log(`load average while measuring: ${(await import("node:os")).loadavg().map((l) => l.toFixed(1)).join(", ")}`);
  if (!process.argv.includes("--measure")) {
    await page.screenshot({ path: join(out, "webui-fleet.png") });

    const submit = async (env: string) => {
      await page.goto(`${url}/#/submit`);
      await page.getByTestId("plan-file").setInputFiles(join(reference, "plan.yaml"));
      await page.getByTestId("data-files").setInputFiles(join(reference, "users.csv"));
      await until("the plan", async () => (await page.getByTestId("plan-yaml").inputValue()).includes("name: reference"));
      await page.getByTestId("plan-env").fill(env);
      await page.getByTestId("submit").click();
      await page.waitForURL(/#\/runs\/r/);
      return decodeURIComponent(page.url().split("#/runs/")[1]!);
    };
    const first = await submit(`BASE_URL=${demo.url}`);
    await until("burst running", async () => (await page.locator("[data-testid=chart-rps] .uplot").count()) > 0 && (await page.getByTestId("run-status").innerText()) === "running");
    await Bun.sleep(6_000);
    await page.screenshot({ path: join(out, "webui-live-run.png"), fullPage: true });
    await page.getByTestId("final").waitFor({ timeout: 120_000 });
    await page.screenshot({ path: join(out, "webui-finished-run.png"), fullPage: true });

    // A second run of the same plan, to compare with the first.
    const second = await submit(`BASE_URL=${demo.url}`);
    await page.getByTestId("final").waitFor({ timeout: 120_000 });
    await page.goto(`${url}/#/compare/${first}/${second}`);
    await page.getByTestId("compare-table").waitFor();
    await page.locator(".uplot").first().waitFor();
    await page.screenshot({ path: join(out, "webui-compare.png"), fullPage: true });

    console.log(`screenshots in ${out}: ${["fleet", "live-run", "finished-run", "compare"].map((n) => `webui-${n}.png`).join(", ")}`);
  }
} finally {
  await browser.close();
  for (const child of children) child.kill("SIGKILL");
  await demo.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
