// The HTTP/2 session against the shared ProtocolHandler contract and real node:http2 servers
// (h2c, port 0): refused, a silent peer past the timeout, a reset stream and a GOAWAY are each
// one recorded failure tagged with its error and proto HTTP/2.0.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { constants, createServer, type Http2Server, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import { MemoryCookieJar } from "../../src/core/cookies.ts";
import type { Tags } from "../../src/metrics/types.ts";
import { http2Handler } from "../../src/protocols/http2/index.ts";
import type { ResolvedRequest } from "../../src/protocols/types.ts";
import { closedPort } from "../helpers/bad-servers.ts";
import { protocolHandlerContract } from "./protocol-handler.contract.ts";

const request = (url: string, timeout = 5_000): ResolvedRequest => ({
  name: "contract",
  method: "GET",
  url,
  headers: [],
  timeout,
  connectTimeout: 2_000,
  maxRedirects: 0,
  tls: { insecure: false },
  httpVersion: "2",
});

/** An h2c server answering each stream by `path`: /ok, /silent (never), /rst, /goaway. */
async function h2Server(): Promise<{ url: string; sessions: () => number; stop(): Promise<void> }> {
  const server: Http2Server = createServer();
  let sessions = 0;
  const open = new Set<{ destroy(): void }>();
  server.on("session", (session) => {
    sessions++;
    open.add(session);
    session.on("close", () => open.delete(session));
    session.on("error", () => {});
  });
  server.on("stream", (stream: ServerHttp2Stream, headers) => {
    stream.on("error", () => {});
    const path = headers[":path"];
    if (path === "/ok") {
      stream.respond({ ":status": 200 });
      stream.end("ok");
    } else if (path === "/rst") {
      stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    } else if (path === "/goaway") {
      // GOAWAY, then the connection ends with the stream unanswered.
      const session = stream.session;
      session?.goaway(constants.NGHTTP2_NO_ERROR, 0);
      setImmediate(() => session?.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    sessions: () => sessions,
    async stop() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let server: Awaited<ReturnType<typeof h2Server>>;
let refusedPort: number;
beforeAll(async () => {
  server = await h2Server();
  refusedPort = await closedPort();
});
afterAll(async () => {
  await server.stop();
});

protocolHandlerContract(http2Handler, async () => {
  const own = await h2Server();
  const refused = await closedPort();
  return {
    ok: request(`${own.url}/ok`),
    refused: request(`http://127.0.0.1:${refused}/`),
    silent: request(`${own.url}/silent`, 300),
    stop: () => own.stop(),
  };
});

function open() {
  const samples: Array<{ metric: string; value: number; tags: Tags }> = [];
  const session = http2Handler.openSession({ vu: 1, cookies: new MemoryCookieJar(), metrics: { add: (metric, value, tags) => void samples.push({ metric, value, tags }) } });
  const failures = () => samples.filter((s) => s.metric === "http_req_failed" && s.value === 1);
  const reqs = () => samples.filter((s) => s.metric === "http_reqs");
  return { session, failures, reqs };
}

describe("HTTP/2 session failures, each one counted and tagged", () => {
  test("requests of one VU share one connection and are tagged proto HTTP/2.0", async () => {
    const before = server.sessions();
    const { session, reqs, failures } = open();
    for (let i = 0; i < 5; i++) expect((await session.send(request(`${server.url}/ok`), { scenario: "s" })).body).toBe("ok");
    session.close();
    expect(server.sessions() - before).toBe(1);
    expect(reqs().length).toBe(5);
    expect(reqs().every((s) => s.tags.proto === "HTTP/2.0" && s.tags.status === "200")).toBe(true);
    expect(failures().length).toBe(0);
  });

  test.each([
    ["refused", () => `http://127.0.0.1:${refusedPort}/`, "ECONNREFUSED", 5_000],
    ["a silent peer past the timeout", () => `${server.url}/silent`, "timeout", 300],
    ["a reset stream", () => `${server.url}/rst`, "rst_stream", 5_000],
    ["a GOAWAY", () => `${server.url}/goaway`, "goaway", 5_000],
  ] as const)("%s", async (_what, url, code, timeout) => {
    const { session, failures, reqs } = open();
    const response = await session.send(request(url(), timeout), { scenario: "s" });
    session.close();
    expect(response.status).toBe(0);
    expect(response.error?.code).toBe(code);
    expect(reqs().length).toBe(1);
    expect(failures().length).toBe(1);
    expect(failures()[0]!.tags.error).toBe(code);
    expect(failures()[0]!.tags.proto).toBe("HTTP/2.0");
  });

  test("after a GOAWAY the next request opens a new connection and succeeds", async () => {
    const { session } = open();
    await session.send(request(`${server.url}/goaway`), { scenario: "s" });
    const before = server.sessions();
    const response = await session.send(request(`${server.url}/ok`), { scenario: "s" });
    session.close();
    expect(response.error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(server.sessions() - before).toBe(1);
  });
});
