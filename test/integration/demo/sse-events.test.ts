// The demo's server-sent events at /events (src/demo/sse-events.ts): an event-stream of `tick`
// events numbered from 1, ended after `count`; each stream counts once under `byProtocol.sse`.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { demoStats } from "../../helpers/plans.ts";

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0, listeners: {} });
});
afterAll(async () => {
  await demo.stop();
});

test("/events streams numbered tick events; the stream counts under byProtocol.sse", async () => {
  const response = await fetch(`${demo.url}/events?count=3&interval=10`);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const text = await response.text();
  expect(text).toBe(": loadr demo: an event tick every 10 ms\n\n" + [1, 2, 3].map((n) => `event: tick\nid: ${n}\ndata: {"n":${n}}\n\n`).join(""));
  expect((await demoStats(demo.url)).byProtocol).toEqual({ http: 1, sse: 1 });
});

test("out-of-range query values are clamped, not trusted", async () => {
  const response = await fetch(`${demo.url}/events?count=0&interval=999999999`);
  const reader = response.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  expect(first).toBe(": loadr demo: an event tick every 10000 ms\n\n");
  await reader.cancel();
});
