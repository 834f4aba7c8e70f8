// The demo target's endpoints and its /_stats contract.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import type { StatsSnapshot } from "../../../src/demo/stats.ts";

describe("demo target", () => {
  let demo: DemoServer;
  const get = (path: string, init?: RequestInit) => fetch(`${demo.url}${path}`, { redirect: "manual", ...init });
  const stats = async () => (await (await get("/_stats")).json()) as StatsSnapshot;

  beforeAll(async () => {
    demo = await startDemoServer({ port: 0 });
  });
  beforeEach(async () => {
    await get("/_stats/reset", { method: "POST" });
  });
  afterAll(() => demo.stop());

  test("listens on 127.0.0.1 with the port it reports", () => {
    expect(demo.port).toBeGreaterThan(0);
    expect(demo.url).toBe(`http://127.0.0.1:${demo.port}`);
  });

  test("GET / and /json", async () => {
    expect(await (await get("/")).text()).toContain("loadr demo target");
    const doc = (await (await get("/json")).json()) as { items: Array<{ id: number; tags: string[] }> };
    expect(doc.items.length).toBeGreaterThan(1);
    expect(doc.items[0]!.id).toBe(1);
    expect(Array.isArray(doc.items[0]!.tags)).toBe(true);
  });

  test("/delay/:ms answers after the delay", async () => {
    const started = performance.now();
    const res = await get("/delay/50");
    expect(await res.json()).toEqual({ delayed: 50 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect((await get("/delay/abc")).status).toBe(400);
  });

  test("/status/:code", async () => {
    expect((await get("/status/503")).status).toBe(503);
    expect((await get("/status/204")).status).toBe(204);
    expect((await get("/status/42")).status).toBe(400);
  });

  test("/echo returns method, path, query, headers and body", async () => {
    const res = await get("/echo?a=1&b=two", { method: "PUT", body: "hello", headers: { "x-test": "yes" } });
    const echo = (await res.json()) as Record<string, any>;
    expect(echo).toMatchObject({ method: "PUT", path: "/echo", query: { a: "1", b: "two" }, body: "hello" });
    expect(echo.headers["x-test"]).toBe("yes");
  });

  test("/bytes/:n and /redirect/:n", async () => {
    expect((await (await get("/bytes/1234")).arrayBuffer()).byteLength).toBe(1234);
    const first = await get("/redirect/3");
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe("/redirect/2");
    expect((await get("/redirect/1")).headers.get("location")).toBe("/");
    const followed = await fetch(`${demo.url}/redirect/3`);
    expect(followed.url).toBe(`${demo.url}/`);
  });

  test("login → token and cookie; /me by bearer or cookie; 401 otherwise", async () => {
    const login = await get("/login", { method: "POST", body: JSON.stringify({ user: "bob", password: "pw" }), headers: { "content-type": "application/json" } });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    expect(token.length).toBeGreaterThan(10);
    expect(login.headers.get("set-cookie")).toBe(`session=${token}; Path=/; HttpOnly`);
    expect(await (await get("/me", { headers: { authorization: `Bearer ${token}` } })).json()).toEqual({ user: "bob" });
    expect(await (await get("/me", { headers: { cookie: `other=1; session=${token}` } })).json()).toEqual({ user: "bob" });
    expect((await get("/me")).status).toBe(401);
    expect((await get("/me", { headers: { authorization: "Bearer nope" } })).status).toBe(401);
  });

  test("login rejects bad JSON and missing fields with 400 and a message", async () => {
    for (const body of ["not json", JSON.stringify({ user: "a" }), JSON.stringify({ user: "", password: "x" }), "null"]) {
      const res = await get("/login", { method: "POST", body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(5);
    }
    expect((await get("/login")).status).toBe(405);
  });

  test("/_stats counts every request (404s too) except itself, by path and by protocol", async () => {
    await get("/json");
    await get("/json");
    await get("/missing");
    await get("/_stats");
    expect(await stats()).toEqual({ total: 3, byPath: { "/json": 2, "/missing": 1 }, byProtocol: { http: 3 } });
    await get("/_stats/reset", { method: "POST" });
    expect(await stats()).toEqual({ total: 0, byPath: {}, byProtocol: {} });
  });

  test("stop() answers pending delays and is idempotent", async () => {
    const other = await startDemoServer({ port: 0 });
    const pending = fetch(`${other.url}/delay/60000`).then((r) => r.status, () => -1);
    while ((await (await fetch(`${other.url}/_stats`)).json() as { total: number }).total === 0) {
      await new Promise((r) => setImmediate(r));
    }
    const started = performance.now();
    await Promise.all([other.stop(), other.stop()]);
    expect([503, -1]).toContain(await pending);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
