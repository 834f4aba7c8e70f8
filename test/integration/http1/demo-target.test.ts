// Redirects, cookies and request accounting against the built-in demo target.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { newSession, request, TAGS } from "./support.ts";

describe("http1 against the demo target", () => {
  let demo: DemoServer;
  const stats = async () => (await (await fetch(`${demo.url}/_stats`)).json()) as { total: number; byPath: Record<string, number> };

  beforeAll(async () => {
    demo = await startDemoServer({ port: 0 });
  });
  beforeEach(async () => {
    await fetch(`${demo.url}/_stats/reset`, { method: "POST" });
  });
  afterAll(() => demo.stop());

  test("follows a redirect chain, one sample set per hop", async () => {
    const { session, values } = newSession();
    const res = await session.send(request(`${demo.url}/redirect/3`, { name: "chain" }), TAGS);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${demo.url}/`);
    expect(res.body).toContain("loadr demo target");
    expect(values("http_reqs").map((s) => s.tags.status)).toEqual(["302", "302", "302", "200"]);
    expect(values("http_req_failed").every((s) => s.value === 0)).toBe(true);
    expect((await stats()).total).toBe(4);
    session.close();
  });

  test("more redirects than maxRedirects is too_many_redirects", async () => {
    const { session, values } = newSession();
    const res = await session.send(request(`${demo.url}/redirect/5`, { maxRedirects: 2 }), TAGS);
    expect(res.status).toBe(302);
    expect(res.error?.code).toBe("too_many_redirects");
    expect(values("http_reqs").length).toBe(3);
    expect(values("http_req_failed").map((s) => s.value)).toEqual([0, 0, 1]);
    expect(values("http_reqs").at(-1)!.tags.error).toBe("too_many_redirects");
    expect((await stats()).total).toBe(3);
    session.close();
  });

  test("maxRedirects 0 returns the redirect itself", async () => {
    const { session } = newSession();
    const res = await session.send(request(`${demo.url}/redirect/1`, { maxRedirects: 0 }), TAGS);
    expect(res.status).toBe(302);
    expect(res.headers.location).toEqual(["/"]);
    expect(res.error).toBeUndefined();
    session.close();
  });

  test("login sets the session cookie; /me works by cookie and by bearer token", async () => {
    const { session, cookies } = newSession();
    const anonymous = await session.send(request(`${demo.url}/me`), TAGS);
    expect(anonymous.status).toBe(401);
    const login = await session.send(
      request(`${demo.url}/login`, {
        method: "POST",
        headers: [["content-type", "application/json"]],
        body: JSON.stringify({ user: "ann", password: "secret" }),
      }),
      TAGS,
    );
    expect(login.status).toBe(200);
    const { token } = JSON.parse(login.body) as { token: string };
    expect(cookies.get("session")).toBe(token);
    const me = await session.send(request(`${demo.url}/me`), TAGS);
    expect(JSON.parse(me.body)).toEqual({ user: "ann" });

    const other = newSession();
    const bearer = await other.session.send(request(`${demo.url}/me`, { headers: [["authorization", `Bearer ${token}`]] }), TAGS);
    expect(JSON.parse(bearer.body)).toEqual({ user: "ann" });
    expect((await other.session.send(request(`${demo.url}/me`), TAGS)).status).toBe(401);
    session.close();
    other.session.close();
  });

  test("cookies set on a redirect hop are stored and sent", async () => {
    const server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch(req) {
        if (new URL(req.url).pathname === "/set") return new Response(null, { status: 302, headers: { location: "/check", "set-cookie": "hop=1; Path=/" } });
        return new Response(req.headers.get("cookie") ?? "none");
      },
    });
    const { session } = newSession();
    const res = await session.send(request(`${server.url.href}set`), TAGS);
    expect(res.body).toBe("hop=1");
    session.close();
    await server.stop(true);
  });

  test("POST 302 → GET drops the body; 307 keeps it", async () => {
    const server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      async fetch(req) {
        const path = new URL(req.url).pathname;
        if (path === "/302") return new Response(null, { status: 302, headers: { location: "/echo" } });
        if (path === "/307") return new Response(null, { status: 307, headers: { location: "/echo" } });
        return new Response(`${req.method} ${await req.text()}`);
      },
    });
    const { session } = newSession();
    const post = (p: string) => request(`${server.url.href}${p.slice(1)}`, { method: "POST", body: "payload" });
    expect((await session.send(post("/302"), TAGS)).body).toBe("GET ");
    expect((await session.send(post("/307"), TAGS)).body).toBe("POST payload");
    session.close();
    await server.stop(true);
  });

  test("requests sent equal requests the target counted", async () => {
    const { session, values } = newSession();
    const paths = ["/", "/json", "/status/500", "/bytes/10", "/echo?x=1", "/nope", "/delay/1"];
    for (let i = 0; i < 70; i++) await session.send(request(`${demo.url}${paths[i % paths.length]}`), TAGS);
    const seen = await stats();
    expect(seen.total).toBe(70);
    expect(values("http_reqs").length).toBe(70);
    expect(seen.byPath["/status/500"]).toBe(10);
    expect(values("http_req_failed").filter((s) => s.value === 1).length).toBe(20); // 500s and 404s
    session.close();
  });
});
