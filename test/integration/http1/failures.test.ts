// Every failure resolves (never throws) with status 0, an error code, a sentence naming
// host:port, and a failed-request sample.
import { describe, expect, test } from "bun:test";
import {
  closeMidResponseServer,
  closeOnRequestServer,
  closedPort,
  malformedServer,
  silentServer,
} from "../../helpers/bad-servers.ts";
import { newSession, request, TAGS } from "./support.ts";

function expectFailure(res: { status: number; error?: { code: string; message: string } }, code: string, hostPort?: string) {
  expect(res.status).toBe(0);
  expect(res.error?.code).toBe(code);
  if (hostPort) expect(res.error?.message).toContain(hostPort);
}

describe("http1 failures", () => {
  test("refused port", async () => {
    const port = await closedPort();
    const { session, values } = newSession();
    const res = await session.send(request(`http://127.0.0.1:${port}/`), TAGS);
    expectFailure(res, "ECONNREFUSED", `127.0.0.1:${port}`);
    expect(values("http_req_failed")[0]!.value).toBe(1);
    expect(values("http_reqs")[0]!.tags).toMatchObject({ status: "0", error: "ECONNREFUSED" });
    session.close();
  });

  test("server closing mid-response is a reset", async () => {
    const server = await closeMidResponseServer();
    const { session } = newSession();
    const res = await session.send(request(server.url), TAGS);
    expectFailure(res, "reset", `127.0.0.1:${server.port}`);
    expect(res.error!.message).toContain("middle of the response");
    // The next request dials again and fails the same way (no retry, no stale reuse).
    expectFailure(await session.send(request(server.url), TAGS), "reset");
    expect(server.requests).toBe(2);
    session.close();
    await server.close();
  });

  test("server closing without answering is a reset, not retried", async () => {
    const server = await closeOnRequestServer();
    const { session } = newSession();
    const res = await session.send(request(server.url, { method: "POST", body: "x" }), TAGS);
    expectFailure(res, "reset", `127.0.0.1:${server.port}`);
    expect(server.requests).toBe(1);
    session.close();
    await server.close();
  });

  test("a server that never answers times out on time and the socket is closed", async () => {
    const server = await silentServer();
    const { session, values } = newSession();
    const started = performance.now();
    const res = await session.send(request(server.url, { timeout: 150 }), TAGS);
    const took = performance.now() - started;
    expectFailure(res, "timeout", `127.0.0.1:${server.port}`);
    expect(took).toBeGreaterThanOrEqual(145);
    expect(took).toBeLessThan(400);
    expect(values("http_reqs")[0]!.tags.error).toBe("timeout");
    expect(session.openConnections()).toBe(0);
    session.close();
    await server.close();
  });

  test("requests of different timeouts in flight together each time out on their own deadline", async () => {
    const server = await silentServer();
    const long = newSession();
    const short = newSession();
    const started = performance.now();
    const took = async (pending: Promise<{ status: number; error?: { code: string; message: string } }>) => {
      const res = await pending;
      expectFailure(res, "timeout", `127.0.0.1:${server.port}`);
      return performance.now() - started;
    };
    const [longTook, shortTook] = await Promise.all([
      took(long.session.send(request(server.url, { timeout: 400 }), TAGS)),
      took(short.session.send(request(server.url, { timeout: 100 }), TAGS)),
    ]);
    expect(shortTook).toBeGreaterThanOrEqual(95);
    expect(shortTook).toBeLessThan(300);
    expect(longTook).toBeGreaterThanOrEqual(395);
    expect(longTook).toBeLessThan(700);
    expect(short.values("http_reqs")[0]!.tags.error).toBe("timeout");
    long.session.close();
    short.session.close();
    await server.close();
  });

  test("malformed status line", async () => {
    const server = await malformedServer();
    const { session } = newSession();
    const res = await session.send(request(server.url), TAGS);
    expectFailure(res, "malformed", `127.0.0.1:${server.port}`);
    expect(res.error!.message).toContain("status line");
    session.close();
    await server.close();
  });

  test("abort during the request resolves as aborted; aborting before sending records nothing", async () => {
    const server = await silentServer();
    const { session, values } = newSession();
    const controller = new AbortController();
    const pending = session.send(request(server.url), TAGS, controller.signal);
    // Abort once the server has the request.
    while (server.requests === 0) await new Promise((r) => setImmediate(r));
    controller.abort();
    expectFailure(await pending, "aborted");
    expect(values("http_reqs").length).toBe(1);
    const again = await session.send(request(server.url), TAGS, controller.signal);
    expectFailure(again, "aborted");
    expect(values("http_reqs").length).toBe(1);
    session.close();
    await server.close();
  });

  test("close() resolves a request in flight as aborted", async () => {
    const server = await silentServer();
    const { session } = newSession();
    const pending = session.send(request(server.url), TAGS);
    while (server.requests === 0) await new Promise((r) => setImmediate(r));
    session.close();
    expectFailure(await pending, "aborted");
    await server.close();
  });

  test("DNS failure", async () => {
    const { session } = newSession();
    const res = await session.send(request("http://no-such-host.invalid:8080/"), TAGS);
    expectFailure(res, "dns", "no-such-host.invalid:8080");
    session.close();
  });

  test("invalid URL and header are failed requests, not exceptions", async () => {
    const { session, values } = newSession();
    expectFailure(await session.send(request("ftp://127.0.0.1/"), TAGS), "invalid_request");
    expectFailure(await session.send(request("http://127.0.0.1:1/", { headers: [["x", "a\nb"]] }), TAGS), "invalid_request");
    expect(values("http_req_failed").map((s) => s.value)).toEqual([1, 1]);
    session.close();
  });
});
