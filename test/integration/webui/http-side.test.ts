// The controller's HTTP side of the web UI (a real controller in-process, real HTTP): the page
// and its bundle with security headers and within the size budget, no CORS, the cross-site guard
// on state-changing requests, the shell without a token but no data, plan validation without a
// run, the history's paging and search, the plan download and the fleet's event stream.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Controller } from "../../../src/cluster/controller/controller.ts";
import { SIMPLE_PLAN, tempDir, testController } from "../cluster/helpers.ts";

let dir: ReturnType<typeof tempDir>;
let c: Controller;
let url: string;
beforeAll(async () => {
  dir = tempDir("loadr-webui-http-");
  c = await testController(dir.dir);
  url = c.httpUrl!;
});
afterAll(async () => {
  await c?.stop();
  dir?.cleanup();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("the page", () => {
  test("/ is the shell with a CSP without inline script, nosniff and no framing; no CORS header anywhere", async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/assets/app.js"></script>');
    expect(html).not.toMatch(/<script>|<style>|\sstyle="|\son\w+="/);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    for (const path of ["/", "/api/agents", "/api/runs", "/nope", "/assets/app.js"]) {
      const r = await fetch(`${url}${path}`, { headers: { origin: "http://evil.example" } });
      expect({ path, cors: r.headers.get("access-control-allow-origin"), nosniff: r.headers.get("x-content-type-options") }).toEqual({ path, cors: null, nosniff: "nosniff" });
    }
  });

  test("the bundle is JavaScript within the 150 KB gzip budget, with an ETag that answers 304", async () => {
    const js = await fetch(`${url}/assets/app.js`, { headers: { "accept-encoding": "gzip" }, decompress: false } as RequestInit);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("content-encoding")).toBe("gzip");
    const gz = new Uint8Array(await js.arrayBuffer());
    expect(gz.length).toBeLessThan(150 * 1024);
    const text = new TextDecoder().decode(Bun.gunzipSync(gz));
    expect(text).toContain("/api/agents/events");
    // (That the page fetches nothing from elsewhere is checked in the browser: test/helpers/browser.ts.)
    const css = await fetch(`${url}/assets/app.css`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).toContain(".uplot");
    const again = await fetch(`${url}/assets/app.js`, { headers: { "if-none-match": js.headers.get("etag")! } });
    expect(again.status).toBe(304);
    expect((await fetch(`${url}/assets/nope.js`)).status).toBe(404);
  });
});

describe("cross-site requests", () => {
  test("a POST from another origin's page is refused with 403 and changes nothing; the own origin and non-browser clients pass", async () => {
    const before = (await (await fetch(`${url}/api/runs`)).json()) as { total: number };
    const evil = await post("/api/runs", { plan: SIMPLE_PLAN }, { origin: "http://evil.example" });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: string }).error).toContain("a POST from http://evil.example is refused");
    expect((await post("/api/runs", { plan: SIMPLE_PLAN }, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post("/api/runs/x/control", { action: "stop" }, { origin: "null" })).status).toBe(403);
    expect(((await (await fetch(`${url}/api/runs`)).json()) as { total: number }).total).toBe(before.total);
    const own = await post("/api/plans/validate", { plan: SIMPLE_PLAN }, { origin: url, "sec-fetch-site": "same-origin" });
    expect(own.status).toBe(200);
    expect((await post("/api/plans/validate", { plan: SIMPLE_PLAN })).status).toBe(200);
  });
});

describe("the API the page reads", () => {
  test("POST /api/plans/validate checks like a submission, without a run; problems carry line:col", async () => {
    const ok = await post("/api/plans/validate", { plan: SIMPLE_PLAN, planFile: "simple.yaml" });
    expect(await ok.json()).toEqual({ ok: true, planName: "cluster-test", scenarios: ["main"], agents: 0 });
    const bad = await post("/api/plans/validate", { plan: SIMPLE_PLAN.replace("vus: 2", "vus: two"), planFile: "simple.yaml" });
    expect(bad.status).toBe(422);
    const body = (await bad.json()) as { error: string; exitCode: number };
    expect(body.exitCode).toBe(104);
    expect(body.error).toMatch(/simple\.yaml:6:\d+/);
    expect(((await (await fetch(`${url}/api/runs`)).json()) as { runs: unknown[] }).runs.every((r) => (r as { planName: string }).planName !== "cluster-test")).toBe(true);
  });

  test("GET /api/runs pages and searches the history; GET /api/runs/:id/plan answers the YAML", async () => {
    const ids: string[] = [];
    for (const name of ["paging-alpha", "paging-bravo", "paging-charlie"]) {
      const r = await post("/api/runs", { plan: SIMPLE_PLAN.replace("name: cluster-test", `name: ${name}`), cluster: { agents: 1, waitMs: 60_000 } });
      expect(r.status).toBe(202);
      ids.push(((await r.json()) as { id: string }).id);
    }
    const page = async (q: string) => (await (await fetch(`${url}/api/runs?${q}`)).json()) as { runs: Array<{ id: string; planName: string }>; total: number };
    const first = await page("search=paging&limit=2");
    expect(first.total).toBe(3);
    expect(first.runs.map((r) => r.planName)).toEqual(["paging-charlie", "paging-bravo"]);
    expect((await page("search=paging&limit=2&offset=2")).runs.map((r) => r.planName)).toEqual(["paging-alpha"]);
    expect((await page("search=BRAVO")).runs.map((r) => r.id)).toEqual([ids[1]!]);
    expect((await page("search=paging&status=waiting")).total).toBe(3);
    expect((await page("search=paging&status=finished")).total).toBe(0);
    expect((await page("search=paging&verdict=passed")).total).toBe(0);
    expect((await page(`search=paging&from=${Date.now() - 60_000}`)).total).toBe(3);
    expect((await page(`search=paging&to=${Date.now() - 60_000}`)).total).toBe(0);
    expect((await fetch(`${url}/api/runs?verdict=maybe`)).status).toBe(400);
    expect((await page("search=100%25_")).total).toBe(0);
    const bad = await fetch(`${url}/api/runs?limit=-1`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('limit must be a whole number from 0 to 500 (got "-1")');
    expect((await fetch(`${url}/api/runs?sort=name`)).status).toBe(400);
    expect((await fetch(`${url}/api/runs?status=done`)).status).toBe(400);
    const yaml = await fetch(`${url}/api/runs/${ids[0]}/plan`);
    expect(yaml.headers.get("content-type")).toBe("text/yaml; charset=utf-8");
    expect(await yaml.text()).toContain("name: paging-alpha");
    expect((await fetch(`${url}/api/runs/nope/plan`)).status).toBe(404);
    for (const id of ids) await post(`/api/runs/${id}/control`, { action: "stop" });
  });

  test("GET /api/agents/events streams the fleet at once, with the liveness window; GET /api/ui names the host", async () => {
    expect(await (await fetch(`${url}/api/ui`)).json()).toEqual({ mode: "controller" });
    const abort = new AbortController();
    const r = await fetch(`${url}/api/agents/events`, { signal: abort.signal });
    expect(r.headers.get("content-type")).toBe("text/event-stream");
    const reader = r.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("\n\n")) text += (await reader.read()).value ?? "";
    abort.abort();
    const [event, data] = text.split("\n");
    expect(event).toBe("event: agents");
    const fleet = JSON.parse(data!.slice("data: ".length)) as { agents: unknown[]; livenessMs: number; nowUnixMs: number };
    expect(fleet.agents).toEqual([]);
    expect(fleet.livenessMs).toBe(6000);
    expect(Math.abs(fleet.nowUnixMs - Date.now())).toBeLessThan(5_000);
  });
});

describe("with an API token", () => {
  test("the shell loads without it; the data does not", async () => {
    const t = tempDir("loadr-webui-token-");
    const secured = await testController(t.dir, { apiToken: "s3cret" });
    try {
      expect((await fetch(`${secured.httpUrl}/`)).status).toBe(200);
      expect((await fetch(`${secured.httpUrl}/assets/app.js`)).status).toBe(200);
      expect((await fetch(`${secured.httpUrl}/api/ui`)).status).toBe(401);
      expect((await fetch(`${secured.httpUrl}/api/agents/events`)).status).toBe(401);
      expect((await fetch(`${secured.httpUrl}/api/ui`, { headers: { authorization: "Bearer s3cret" } })).status).toBe(200);
    } finally {
      await secured.stop();
      t.cleanup();
    }
  });
});
