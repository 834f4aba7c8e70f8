// The web UI from the compiled binary alone: its bundle was built into the executable at
// `bun build --compile` time (src/ui-kit/bundle.ts is a macro), so the binary serves the page
// with no source tree and no network. The controller's console loads in chromium and shows the
// fleet; `loadr run --dashboard` serves the same assets.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireBinary, spawnUntil } from "../helpers/binary.ts";
import { openBrowser, type TestBrowser } from "../helpers/browser.ts";
import { startDemoServer, type DemoServer } from "../../src/demo/server.ts";

let dir: string;
let demo: DemoServer;
let browser: TestBrowser;
const children: Bun.Subprocess[] = [];

beforeAll(async () => {
  // Run from an empty directory: nothing of the checkout is at hand.
  dir = mkdtempSync(join(tmpdir(), "loadr-e2e-webui-"));
  demo = await startDemoServer({ port: 0 });
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const child of children) child.kill("SIGKILL");
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("the binary's controller serves the console, which shows the fleet", async () => {
  const { process: controller, match } = await spawnUntil(["controller", "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data-dir", join(dir, "data")], /HTTP API (http:\/\/[\d.:]+)/, { cwd: dir, timeoutMs: 20_000 });
  children.push(controller);
  const url = match[1]!;
  const js = await fetch(`${url}/assets/app.js`);
  expect(js.status).toBe(200);
  expect((await js.text()).length).toBeGreaterThan(50_000);
  const page = await browser.page();
  await page.goto(`${url}/`);
  await page.getByRole("heading", { name: "Fleet" }).waitFor({ timeout: 15_000 });
  expect(await page.getByTestId("fleet-counts").innerText()).toContain("0 agents");
  expect(browser.problems).toEqual([]);
  await page.context().close();
}, 60_000);

test("the binary's `loadr run --dashboard` serves the same page", async () => {
  writeFileSync(join(dir, "plan.yaml"), `name: binary-dashboard\nbaseUrl: \${env.BASE_URL}\nscenarios:\n  s:\n    executor: constant-vus\n    vus: 1\n    duration: 2s\n    flow:\n      - request: { url: / }\n      - sleep: 50ms\n`);
  const child = Bun.spawn([requireBinary(), "run", "plan.yaml", "--env", `BASE_URL=${demo.url}`, "--workers", "1", "--dashboard=127.0.0.1:0"], { cwd: dir, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  children.push(child);
  let stderr = "";
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const deadline = Date.now() + 30_000;
  let url: string | undefined;
  while (!stderr.includes("the dashboard stays up") && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    stderr += value;
    url ??= /dashboard on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
  }
  expect(url).toBeDefined();
  expect(((await (await fetch(`${url}/api/ui`)).json()) as { mode: string }).mode).toBe("dashboard");
  const page = await browser.page();
  await page.goto(`${url}/`);
  await page.getByTestId("final").waitFor({ timeout: 15_000 });
  expect(await page.getByTestId("run-status").innerText()).toBe("finished");
  child.kill("SIGINT");
  expect(await child.exited).toBe(0);
  expect(browser.problems).toEqual([]);
  await page.context().close();
}, 60_000);
