// Control steps (loop, if, set, sleep), request bodies and headers, abort and bug handling.
import { describe, expect, test } from "bun:test";
import { rm } from "node:fs/promises";
import type { Step, VarValue } from "../../../src/config/plan.ts";
import { createVuFactory, type VuFactoryOptions } from "../../../src/core/vu-factory.ts";
import { SHARED_CHECKS } from "../../../src/core/checks/index.ts";
import { SHARED_EXTRACTIONS } from "../../../src/core/extract/index.ts";
import { CONTROL_STEPS } from "../../../src/core/flow/steps/index.ts";
import { httpRequestStep } from "../../../src/protocols/http1/step/request-step.ts";
import { branch, cond, extraction, FakeHandler, group, loc, loop, modulesWith, never, RecordingSink, req, scenario, set, sleep, statusCheck, TestJar, tpl } from "./fakes.ts";

function setup(extra: Partial<VuFactoryOptions> = {}) {
  const handler = new FakeHandler({ "GET /ok": () => ({ status: 200 }) });
  const metrics = new RecordingSink();
  const warnings: string[] = [];
  const factory = createVuFactory({
    baseUrl: "http://h.test",
    data: {},
    modules: modulesWith(handler),
    metrics,
    createCookieJar: () => new TestJar(),
    warn: (m) => warnings.push(m),
    ...extra,
  });
  const paths = () => handler.sent.map((s) => new URL(s.request.url).pathname);
  return { handler, metrics, warnings, factory, paths };
}

const vars = (vu: unknown) => (vu as { scope: { vars: Record<string, VarValue> } }).scope.vars;
const num = (s: VarValue | undefined) => Number(s || "0");

describe("control steps", () => {
  test("loop count runs the body count times", async () => {
    const { factory, paths } = setup();
    const flow: Step[] = [loop({ count: 3, maxIterations: 100, steps: [req({ url: "/l" })] })];
    await factory(scenario(flow), 1).runIteration(never());
    expect(paths()).toEqual(["/l", "/l", "/l"]);
  });

  test("loop while runs while the condition holds", async () => {
    const { factory, paths, warnings } = setup();
    const flow: Step[] = [
      set(["i", tpl("0")]),
      loop({
        while: cond("${vars.i} < 4", (s) => num(s.vars.i) < 4),
        maxIterations: 100,
        steps: [
          req({ url: "/w/${vars.i}" }),
          // test templates do no arithmetic; a tiny template object can (its value is a number)
          set(["i", { source: "inc", isStatic: false, render: (s) => String(num(s.vars.i) + 1), evaluate: (s) => num(s.vars.i) + 1 }]),
        ],
      }),
    ];
    await factory(scenario(flow), 1).runIteration(never());
    expect(paths()).toEqual(["/w/0", "/w/1", "/w/2", "/w/3"]);
    expect(warnings).toEqual([]);
  });

  test("loop while stops at maxIterations and warns once", async () => {
    const { factory, paths, warnings } = setup();
    const flow: Step[] = [
      loop({ while: cond("forever", () => true), maxIterations: 2, steps: [req({ url: "/f" })] }),
    ];
    const vu = factory(scenario(flow), 1);
    await vu.runIteration(never());
    await vu.runIteration(never());
    expect(paths()).toEqual(["/f", "/f", "/f", "/f"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("maxIterations (2)");
  });

  test("if runs then or else", async () => {
    const { factory, paths } = setup();
    const flow: Step[] = [
      branch({
        condition: cond("vu is odd", (s) => s.vu % 2 === 1),
        then: [req({ url: "/odd" })],
        else: [req({ url: "/even" })],
      }),
    ];
    const spec = scenario(flow);
    await factory(spec, 1).runIteration(never());
    await factory(spec, 2).runIteration(never());
    expect(paths()).toEqual(["/odd", "/even"]);
  });

  test("set renders into vars in order (later entries see earlier ones)", async () => {
    const { factory } = setup();
    const vu = factory(scenario([set(["a", tpl("x${vu}")], ["b", tpl("${vars.a}-y")])]), 4);
    await vu.runIteration(never());
    expect(vars(vu)).toEqual({ a: "x4", b: "x4-y" });
  });

  test("sleep: fixed, and uniform in [min, max] from random()", async () => {
    const { factory } = setup({ random: () => 0.5 });
    const vu = factory(scenario([sleep(20, 60)]), 1);
    const start = performance.now();
    await vu.runIteration(never());
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(38);
    expect(elapsed).toBeLessThan(1000);
  });

  test("abort ends a sleep at once and no later step runs; the iteration is still counted", async () => {
    const { factory, paths, metrics } = setup();
    const vu = factory(scenario([sleep(10_000), req({ url: "/after" })]), 1);
    const ctl = new AbortController();
    const start = performance.now();
    const done = vu.runIteration(ctl.signal);
    setTimeout(() => ctl.abort(), 10);
    await done;
    expect(performance.now() - start).toBeLessThan(1000);
    expect(paths()).toEqual([]);
    expect(metrics.sum("iterations")).toBe(1);
  });

  test("abort mid-request passes the signal and skips checks and extraction", async () => {
    const { factory, handler, metrics } = setup();
    handler.delayMs = 10_000;
    const vu = factory(
      scenario([
        req({ url: "/ok", checks: [statusCheck("ok", 200)], extract: [extraction("v", "header", { header: "x" })] }),
        req({ url: "/next" }),
      ]),
      1,
    );
    vars(vu).v = "kept";
    const ctl = new AbortController();
    const done = vu.runIteration(ctl.signal);
    setTimeout(() => ctl.abort(), 10);
    await done;
    expect(handler.sent).toHaveLength(1);
    expect(metrics.of("checks")).toEqual([]);
    expect(vars(vu).v).toBe("kept");
    expect(metrics.sum("iterations")).toBe(1);
  });

  test("an interrupted group records no group_duration", async () => {
    const { factory, metrics, handler } = setup();
    handler.delayMs = 10_000;
    const ctl = new AbortController();
    const flow: Step[] = [group("g", [req({ url: "/ok" })])];
    const done = factory(scenario(flow), 1).runIteration(ctl.signal);
    setTimeout(() => ctl.abort(), 10);
    await done;
    expect(handler.sent).toHaveLength(1);
    expect(metrics.of("group_duration")).toEqual([]);
    expect(metrics.sum("iterations")).toBe(1);
  });

  test("a throwing step is a bug: logged once per message, iteration ends, VU keeps working", async () => {
    const { factory, paths, warnings, metrics } = setup();
    const boom = cond("boom", () => {
      throw new Error("condition exploded");
    });
    const vu = factory(scenario([branch({ condition: boom, then: [], else: [] }), req({ url: "/never" })]), 1);
    await vu.runIteration(never());
    await vu.runIteration(never());
    expect(paths()).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("condition exploded");
    expect(warnings[0]).toContain("plan.yaml:1:1: if step failed");
    expect(metrics.sum("iterations")).toBe(2);
  });

  test("a step of a protocol the modules lack is reported, not thrown", async () => {
    const { warnings } = setup();
    const factory = createVuFactory({
      baseUrl: "http://h.test",
      data: {},
      // The request step's runtime without the "http" protocol to open its sessions.
      modules: { steps: { ...CONTROL_STEPS, request: httpRequestStep }, checks: SHARED_CHECKS, extractions: SHARED_EXTRACTIONS, protocols: {} },
      metrics: new RecordingSink(),
      createCookieJar: () => new TestJar(),
      warn: (m) => warnings.push(m),
    });
    await factory(scenario([req({ url: "/x" })]), 1).runIteration(never());
    expect(warnings[0]).toContain('no protocol "http" among the modules');
    expect(warnings[0]).toContain("plan.yaml:1:1: request step failed");
  });
});

describe("request bodies and headers", () => {
  test("form, raw and json bodies with default content types; an explicit one wins", async () => {
    const { factory, handler } = setup();
    const flow: Step[] = [
      req({ url: "/f", method: "POST", body: { kind: "form", fields: [["user", tpl("u ${vu}")], ["x", tpl("a&b")]] } }),
      req({ url: "/r", method: "POST", body: { kind: "raw", text: tpl("hello ${vu}"), contentType: "text/plain" } }),
      req({ url: "/n", method: "POST", body: { kind: "raw", text: tpl("no type") } }),
      req({
        url: "/j",
        method: "POST",
        headers: [["content-type", tpl("application/vnd.api+json")]],
        body: { kind: "json", value: [tpl("${vu}"), null, { k: false }] },
      }),
    ];
    await factory(scenario(flow), 2).runIteration(never());
    const [form, raw, none, json] = handler.sent.map((s) => s.request);
    expect(form!.body).toBe("user=u+2&x=a%26b");
    expect(form!.headers).toEqual([["content-type", "application/x-www-form-urlencoded"]]);
    expect(raw!.body).toBe("hello 2");
    expect(raw!.headers).toEqual([["content-type", "text/plain"]]);
    expect(none!.headers).toEqual([]);
    expect(json!.body).toBe('["2",null,{"k":false}]');
    expect(json!.headers).toEqual([["content-type", "application/vnd.api+json"]]);
  });

  test("file bodies are read once and shared by every VU", async () => {
    const reads: string[] = [];
    const bytes = new TextEncoder().encode("FILE");
    const { factory, handler } = setup({
      readFile: async (path) => {
        reads.push(path);
        return bytes;
      },
    });
    const spec = scenario([
      req({ url: "/up", method: "PUT", body: { kind: "file", path: "data/body.bin", contentType: "application/octet-stream" } }),
    ]);
    const a = factory(spec, 1);
    const b = factory(spec, 2);
    await Promise.all([a.runIteration(never()), b.runIteration(never())]);
    await a.runIteration(never());
    expect(reads).toEqual(["data/body.bin"]);
    expect(handler.sent).toHaveLength(3);
    for (const s of handler.sent) {
      expect(s.request.body).toBe(bytes);
      expect(s.request.headers).toEqual([["content-type", "application/octet-stream"]]);
    }
  });

  test("default file reader resolves against baseDir", async () => {
    const dir = `${process.env.TMPDIR ?? "/tmp"}/loadr-flow-${process.pid}`;
    await Bun.write(`${dir}/b.txt`, "from disk");
    const { factory, handler } = setup({ baseDir: dir });
    await factory(scenario([req({ url: "/up", method: "POST", body: { kind: "file", path: "b.txt" } })]), 1).runIteration(never());
    expect(new TextDecoder().decode(handler.sent[0]!.request.body as Uint8Array)).toBe("from disk");
    await rm(dir, { recursive: true, force: true });
  });

  test("headers: the spec's (merged at load) headers are sent in order, rendered per VU", async () => {
    const { factory, handler } = setup();
    const flow: Step[] = [req({ url: "/h", headers: [["x-a", tpl("2")], ["x-b", tpl("${vu}")]] })];
    await factory(scenario(flow), 7).runIteration(never());
    expect(handler.sent[0]!.request.headers).toEqual([["x-a", "2"], ["x-b", "7"]]);
  });
});
