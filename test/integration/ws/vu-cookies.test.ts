// A VU's cookie jar reaches its WebSocket upgrades and SSE streams, as it reaches its HTTP
// requests: a cookie set by a response is sent on a later `ws` and `sse` step to the same host, in
// real worker threads; a step's own `cookie` header wins.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Server } from "bun";
import { runPlanDeltas } from "../../helpers/run-deltas.ts";

let target: Server<undefined>;
/** The cookie header of each upgrade and stream request, by path. */
const cookies: Record<string, string[]> = {};
beforeAll(() => {
  target = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request, server) {
      const path = new URL(request.url).pathname;
      if (path === "/login") return new Response("ok", { headers: { "set-cookie": "session=s-1; Path=/" } });
      (cookies[path] ??= []).push(request.headers.get("cookie") ?? "");
      if (path.startsWith("/ws")) return server.upgrade(request) ? undefined : new Response("upgrade", { status: 426 });
      return new Response("event: tick\ndata: 1\n\n", { headers: { "content-type": "text/event-stream" } });
    },
    websocket: { message() {} },
  });
});
afterAll(() => {
  target.stop(true);
});

test("a cookie set by a response is sent on later ws and sse steps; a step's own cookie header wins", async () => {
  const plan = `
baseUrl: http://127.0.0.1:${target.port}
scenarios:
  s:
    executor: per-vu-iterations
    vus: 1
    iterations: 1
    flow:
      - request: { url: /login }
      - ws: { url: /ws, session: [{ send: hi }] }
      - ws: { url: /ws-own, headers: { cookie: "mine=1" } }
      - sse: { url: /events, until: { events: 1, timeout: 2s } }
`;
  const run = await runPlanDeltas(plan, {}, 1);
  expect(run.outcome.state).toBe("finished");
  expect(run.rateBy("ws_session_failed", "name")).toEqual({ "/ws": [0, 1], "/ws-own": [0, 1] });
  expect(run.rateBy("sse_session_failed", "name")).toEqual({ "/events": [0, 1] });
  expect(cookies).toEqual({ "/ws": ["session=s-1"], "/ws-own": ["mine=1"], "/events": ["session=s-1"] });
}, 30_000);
