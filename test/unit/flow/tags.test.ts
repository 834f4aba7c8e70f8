// Tags through the flow: a step's `tags:` cover everything recorded inside it (requests, their
// checks, nested groups, its own group_duration); a request's own tags cover only that request.
import { expect, test } from "bun:test";
import type { Step } from "../../../src/config/plan.ts";
import { createVuFactory } from "../../../src/core/vu-factory.ts";
import { FakeHandler, group, modulesWith, never, RecordingSink, req, scenario, statusCheck, TestJar } from "./fakes.ts";

test("group tags reach the requests, checks and group_duration inside; request tags stay on their request", async () => {
  const handler = new FakeHandler({ "GET /a": () => ({ status: 200 }), "GET /b": () => ({ status: 200 }) });
  const metrics = new RecordingSink();
  const factory = createVuFactory({ baseUrl: "http://h.test", data: {}, modules: modulesWith(handler), metrics, createCookieJar: () => new TestJar() });
  const outer: Step = { ...group("shop", [req({ url: "/a", tags: { kind: "search" }, checks: [statusCheck("ok", 200)] }), group("inner", [req({ url: "/b" })])]), tags: { area: "shop", team: "x" } };
  const flow: Step[] = [outer, req({ url: "/a" })];
  await factory(scenario(flow, { tags: { team: "web" } }), 1).runIteration(never());

  expect(handler.sent.map((s) => s.tags)).toEqual([
    { team: "x", area: "shop", kind: "search", scenario: "default", group: "::shop" },
    { team: "x", area: "shop", scenario: "default", group: "::shop::inner" },
    { team: "web", scenario: "default", group: "" },
  ]);
  expect(metrics.of("checks").map((s) => s.tags)).toEqual([{ team: "x", area: "shop", kind: "search", check: "ok", group: "::shop", scenario: "default" }]);
  expect(metrics.of("group_duration").map((s) => s.tags).sort((a, b) => a.group!.localeCompare(b.group!))).toEqual([
    { team: "x", area: "shop", group: "::shop", scenario: "default" },
    { team: "x", area: "shop", group: "::shop::inner", scenario: "default" },
  ]);
  expect(metrics.of("iterations").map((s) => s.tags)).toEqual([{ team: "web", scenario: "default" }]);
});
