// The VU factory end to end against a fake protocol handler: requests, extraction feeding later
// requests, cookies, checks, groups, URL joining, feeds in templates and iteration metrics.
import { describe, expect, test } from "bun:test";
import type { ScenarioSpec, Step } from "../../../src/config/plan.ts";
import { createVuFactory, type VuFactoryOptions } from "../../../src/core/vu-factory.ts";
import { check, extraction, FakeHandler, feed, group, modulesWith, never, RecordingSink, req, scenario, set, statusCheck, TestJar, tpl } from "./fakes.ts";

function setup(routes: FakeHandler["routes"] = {}, extra: Partial<VuFactoryOptions> = {}) {
  const handler = new FakeHandler(routes);
  const metrics = new RecordingSink();
  const warnings: string[] = [];
  const jars: TestJar[] = [];
  const factory = createVuFactory({
    baseUrl: "http://api.test/v1/",
    data: {},
    modules: modulesWith(handler),
    metrics,
    createCookieJar: () => {
      const jar = new TestJar();
      jars.push(jar);
      return jar;
    },
    warn: (m) => warnings.push(m),
    ...extra,
  });
  return { handler, metrics, warnings, jars, factory };
}

const loginRoutes: FakeHandler["routes"] = {
  "POST /v1/login": (r) => ({
    status: 200,
    body: JSON.stringify({ token: `tok-${JSON.parse(String(r.body)).user}` }),
    headers: { "set-cookie": ["session=s-" + JSON.parse(String(r.body)).user + "; Path=/"] },
  }),
  "GET /v1/me": (r) => {
    const auth = r.headers.find(([n]) => n === "authorization")?.[1];
    return auth ? { status: 200, body: JSON.stringify({ user: auth.slice(7) }) } : { status: 401, body: "{}" };
  },
};

const loginFlow: Step[] = [
  req({
    url: "/login",
    method: "POST",
    body: { kind: "json", value: { user: tpl("user${vu}"), password: tpl("secret"), remember: true, n: 1 } },
    checks: [statusCheck("login ok", 200)],
    extract: [extraction("token", "json", { path: "$.token" })],
  }),
  req({
    url: "/me",
    headers: [["authorization", tpl("Bearer ${vars.token}")]],
    checks: [
      statusCheck("me ok", 200),
      check("me is user", "json", { path: "$.user", equals: tpl("tok-user${vu}") }),
      check("wrong path", "json", { path: "$.usr", exists: true }),
    ],
  }),
];

describe("createVuFactory", () => {
  test("login flow: extraction feeds the next request's header; JSON body with content type", async () => {
    const { handler, factory } = setup(loginRoutes);
    const vu = factory(scenario(loginFlow), 3);
    await vu.runIteration(never());
    const [login, me] = handler.sent;
    expect(login!.request.method).toBe("POST");
    expect(login!.request.url).toBe("http://api.test/v1/login");
    expect(JSON.parse(String(login!.request.body))).toEqual({ user: "user3", password: "secret", remember: true, n: 1 });
    expect(login!.request.headers).toContainEqual(["content-type", "application/json"]);
    expect(me!.request.headers).toEqual([["authorization", "Bearer tok-user3"]]);
  });

  test("checks: passes and fails recorded with check/group/scenario tags, wrong JSONPath fails", async () => {
    const { metrics, factory } = setup(loginRoutes);
    const vu = factory(scenario(loginFlow, { name: "auth", tags: { team: "core" } }), 1);
    await vu.runIteration(never());
    await vu.runIteration(never());
    expect(metrics.rate("checks")).toEqual({ passes: 6, fails: 2 });
    expect(metrics.rate("checks", { check: "wrong path" })).toEqual({ passes: 0, fails: 2 });
    expect(metrics.rate("checks", { check: "me is user" })).toEqual({ passes: 2, fails: 0 });
    for (const s of metrics.of("checks")) {
      expect(Object.keys(s.tags).sort()).toEqual(["check", "group", "scenario", "team"]);
      expect(s.tags).toMatchObject({ group: "", scenario: "auth", team: "core" });
    }
  });

  test("a network failure fails the checks and unsets extracted vars, without throwing", async () => {
    const refused = () => ({ status: 0, error: { code: "ECONNREFUSED", message: "refused" } });
    const { metrics, factory } = setup({ "POST /v1/login": refused, "GET /v1/me": refused });
    const vu = factory(scenario(loginFlow), 1);
    (vu as unknown as { scope: { vars: Record<string, string> } }).scope.vars.token = "stale";
    await vu.runIteration(never());
    expect(metrics.rate("checks")).toEqual({ passes: 0, fails: 4 });
    expect((vu as unknown as { scope: { vars: Record<string, string> } }).scope.vars.token).toBeUndefined();
    expect(metrics.sum("iterations")).toBe(1);
  });

  test("cookies persist across requests of one VU but not between VUs", async () => {
    const { handler, factory, jars } = setup(loginRoutes);
    const spec = scenario(loginFlow);
    const a = factory(spec, 1);
    const b = factory(spec, 2);
    await a.runIteration(never());
    await b.runIteration(never());
    const cookies = handler.sent.map((s) => [s.vu, s.request.url.endsWith("/me") ? "me" : "login", s.cookie]);
    expect(cookies).toEqual([
      [1, "login", ""],
      [1, "me", "session=s-user1"],
      [2, "login", ""],
      [2, "me", "session=s-user2"],
    ]);
    expect(jars).toHaveLength(2);
    expect(handler.opened).toEqual([1, 2]);
    a.close();
    expect(handler.closed).toEqual([1]);
    expect(jars[0]!.cookies.size).toBe(0);
  });

  test("the default cookie jar (MemoryCookieJar) is per VU", async () => {
    const handler = new FakeHandler(loginRoutes);
    const factory = createVuFactory({ baseUrl: "http://api.test/v1", data: {}, modules: modulesWith(handler), metrics: new RecordingSink() });
    const spec = scenario(loginFlow);
    await factory(spec, 1).runIteration(never());
    await factory(spec, 2).runIteration(never());
    expect(handler.sent.map((s) => s.cookie)).toEqual(["", "session=s-user1", "", "session=s-user2"]);
  });

  test("cookie extraction reads the response, then the jar", async () => {
    const { factory } = setup({ ...loginRoutes });
    const flow: Step[] = [
      loginFlow[0]!,
      req({ url: "/me", extract: [extraction("sid", "cookie", { cookie: "session" })] }),
    ];
    const vu = factory(scenario(flow), 5);
    await vu.runIteration(never());
    expect((vu as unknown as { scope: { vars: Record<string, string> } }).scope.vars.sid).toBe("s-user5");
  });

  test("groups: k6 group paths on requests and checks, group_duration per group", async () => {
    const { handler, metrics, factory } = setup({ "GET /v1/x": () => ({ status: 200 }) });
    const flow: Step[] = [
      req({ url: "/x", checks: [statusCheck("root", 200)] }),
      group("outer", [req({ url: "/x" }), group("inner", [req({ url: "/x", checks: [statusCheck("deep", 200)] })])]),
    ];
    await factory(scenario(flow, { name: "sc", tags: { t: "1" } }), 1).runIteration(never());
    expect(handler.sent.map((s) => s.tags)).toEqual([
      { t: "1", scenario: "sc", group: "" },
      { t: "1", scenario: "sc", group: "::outer" },
      { t: "1", scenario: "sc", group: "::outer::inner" },
    ]);
    expect(metrics.of("checks").map((s) => s.tags.group)).toEqual(["", "::outer::inner"]);
    const groups = metrics.of("group_duration");
    expect(groups.map((s) => s.tags)).toEqual([
      { t: "1", group: "::outer::inner", scenario: "sc" },
      { t: "1", group: "::outer", scenario: "sc" },
    ]);
    expect(groups[1]!.value).toBeGreaterThanOrEqual(groups[0]!.value);
  });

  test("URL joining: relative joins baseUrl, absolute passes through, templated URLs too", async () => {
    const { handler, factory } = setup();
    const flow: Step[] = [
      req({ url: "/a" }),
      req({ url: "b?q=1" }),
      req({ url: "https://other.test/c" }),
      req({ url: "/items/${vu}" }),
    ];
    await factory(scenario(flow), 9).runIteration(never());
    expect(handler.sent.map((s) => s.request.url)).toEqual([
      "http://api.test/v1/a",
      "http://api.test/v1/b?q=1",
      "https://other.test/c",
      "http://api.test/v1/items/9",
    ]);
  });

  test("a relative URL without baseUrl ends the iteration, warns once, never rejects", async () => {
    const { handler, metrics, warnings, factory } = setup({}, { baseUrl: "" });
    const vu = factory(scenario([req({ url: "/a" }), req({ url: "http://x.test/after" })]), 1);
    await vu.runIteration(never());
    await vu.runIteration(never());
    expect(handler.sent).toHaveLength(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("plan.yaml:1:1");
    expect(warnings[0]).toContain("no baseUrl");
    expect(metrics.sum("iterations")).toBe(2);
  });

  test("iteration metrics and per-VU iteration counter; vars persist across iterations", async () => {
    const { handler, metrics, factory } = setup();
    const flow: Step[] = [
      req({ url: "/i/${iteration}/${vars.prev}/${scenario}" }),
      set(["prev", tpl("p${iteration}")]),
    ];
    const spec = scenario(flow, { name: "sc", tags: { env: "ci" } });
    const a = factory(spec, 1);
    const b = factory(spec, 2);
    await a.runIteration(never());
    await a.runIteration(never());
    await b.runIteration(never());
    expect(handler.sent.map((s) => `${s.vu}${new URL(s.request.url).pathname}`)).toEqual([
      "1/v1/i/0//sc",
      "1/v1/i/1/p0/sc",
      "2/v1/i/0//sc",
    ]);
    expect(metrics.of("iterations").map((s) => [s.value, s.tags])).toEqual([
      [1, { env: "ci", scenario: "sc" }],
      [1, { env: "ci", scenario: "sc" }],
      [1, { env: "ci", scenario: "sc" }],
    ]);
    expect(metrics.of("iteration_duration", { scenario: "sc" })).toHaveLength(3);
  });

  test("data feeds render per iteration: sequential shared across VUs, unique fixed per VU", async () => {
    const { handler, factory } = setup({}, {
      data: {
        seq: feed("seq", "sequential", ["n"], [["a"], ["b"], ["c"]]),
        uni: feed("uni", "unique", ["u"], [["x"], ["y"]]),
      },
    });
    const spec = scenario([req({ url: "/${data.seq.n}/${data.uni.u}" })]);
    const vus = [factory(spec, 1), factory(spec, 2)];
    for (let i = 0; i < 2; i++) for (const vu of vus) await vu.runIteration(never());
    expect(handler.sent.map((s) => new URL(s.request.url).pathname)).toEqual(["/v1/a/x", "/v1/b/y", "/v1/c/x", "/v1/a/y"]);
  });

  test("a static request is built once and reused (frozen); a dynamic one is not", async () => {
    const { handler, factory } = setup();
    const spec = scenario([req({ url: "/static", headers: [["x-a", tpl("1")]] }), req({ url: "/d/${vu}" })]);
    const a = factory(spec, 1);
    const b = factory(spec, 2);
    await a.runIteration(never());
    await b.runIteration(never());
    const statics = handler.sent.filter((s) => s.request.url.endsWith("/static"));
    expect(statics[0]!.request).toBe(statics[1]!.request);
    expect(Object.isFrozen(statics[0]!.request.headers)).toBe(true);
    const dynamic = handler.sent.filter((s) => s.request.url.includes("/d/"));
    expect(dynamic[0]!.request).not.toBe(dynamic[1]!.request);
  });

  test("scenario programs are compiled once per ScenarioSpec", async () => {
    const { handler, factory } = setup();
    const spec: ScenarioSpec = scenario([req({ url: "/s" })]);
    await factory(spec, 1).runIteration(never());
    await factory(spec, 2).runIteration(never());
    expect(handler.sent[0]!.request).toBe(handler.sent[1]!.request);
  });
});
