// Keep-alive, framing and bodies against real servers on port 0.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chunkedResponse, closeAfterResponseServer, okResponse, scriptedServer, waitFor, type TestServer } from "../../helpers/bad-servers.ts";
import { createServer, type Socket } from "node:net";
import { newSession, request, TAGS } from "./support.ts";

describe("http1 transport", () => {
  let counting: TestServer;
  let bun: ReturnType<typeof Bun.serve>;

  beforeAll(async () => {
    counting = await scriptedServer((req) => {
      if (req.path === "/chunked") return chunkedResponse("hello chunked world", 4);
      if (req.path === "/big") return okResponse("x".repeat(200_000));
      return okResponse(`you sent ${req.method} ${req.path} ${req.body}`);
    });
    bun = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      async fetch(req) {
        const body = new Uint8Array(await req.arrayBuffer());
        return Response.json({ method: req.method, length: body.length, sum: body.reduce((a, b) => a + b, 0), ct: req.headers.get("content-type") });
      },
    });
  });
  afterAll(async () => {
    await counting.close();
    await bun.stop(true);
  });

  test("N sequential requests reuse one keep-alive connection", async () => {
    const { session, values } = newSession();
    const before = counting.connections;
    for (let i = 0; i < 20; i++) {
      const res = await session.send(request(`${counting.url}/n/${i}`), TAGS);
      expect(res.status).toBe(200);
      expect(res.body).toBe(`you sent GET /n/${i} `);
      expect(res.error).toBeUndefined();
    }
    expect(counting.connections - before).toBe(1);
    const connecting = values("http_req_connecting").map((s) => s.value);
    expect(connecting[0]).toBeGreaterThan(0);
    expect(connecting.slice(1).every((v) => v === 0)).toBe(true);
    expect(values("http_reqs").length).toBe(20);
    session.close();
  });

  test("chunked and large Content-Length bodies", async () => {
    const { session } = newSession();
    const chunked = await session.send(request(`${counting.url}/chunked`), TAGS);
    expect(chunked.body).toBe("hello chunked world");
    expect(chunked.headers["transfer-encoding"]).toEqual(["chunked"]);
    const big = await session.send(request(`${counting.url}/big`), TAGS);
    expect(big.body.length).toBe(200_000);
    session.close();
  });

  test("POST string and binary bodies arrive intact", async () => {
    const { session, values } = newSession();
    const text = await session.send(
      request(bun.url.href, { method: "POST", headers: [["content-type", "application/json"]], body: '{"a":"é"}' }),
      TAGS,
    );
    expect(JSON.parse(text.body)).toEqual({ method: "POST", length: 10, sum: expect.any(Number), ct: "application/json" });
    const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
    const expected = big.reduce((a, b) => a + b, 0);
    const bin = await session.send(request(bun.url.href, { method: "PUT", body: big }), TAGS);
    expect(JSON.parse(bin.body)).toEqual({ method: "PUT", length: big.length, sum: expected, ct: null });
    expect(values("data_sent").at(-1)!.value).toBeGreaterThan(big.length);
    session.close();
  });

  test("HEAD responses carry no body even with Content-Length", async () => {
    const server = await scriptedServer(() => "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n");
    const { session } = newSession();
    const res = await session.send(request(server.url, { method: "HEAD" }), TAGS);
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const again = await session.send(request(server.url, { method: "HEAD" }), TAGS);
    expect(again.status).toBe(200);
    expect(server.connections).toBe(1);
    session.close();
    await server.close();
  });

  test("close-delimited bodies complete when the server closes", async () => {
    const server = await scriptedServer((_r, socket) => void socket.end("HTTP/1.1 200 OK\r\n\r\nuntil close"));
    const { session } = newSession();
    const res = await session.send(request(server.url), TAGS);
    expect(res.status).toBe(200);
    expect(res.body).toBe("until close");
    session.close();
    await server.close();
  });

  test("a connection the server closed while idle is replaced before writing", async () => {
    const server = await closeAfterResponseServer();
    const { session } = newSession();
    expect((await session.send(request(server.url), TAGS)).status).toBe(200);
    await waitFor(() => session.openConnections() === 0);
    const second = await session.send(request(server.url), TAGS);
    expect(second.status).toBe(200);
    expect(second.error).toBeUndefined();
    expect(server.connections).toBe(2);
    expect(server.requests).toBe(2);
    session.close();
    await server.close();
  });

  test("an answer before the request body is written ends the connection after it", async () => {
    let connections = 0;
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      connections++;
      sockets.push(socket);
      let answered = false;
      socket.on("error", () => {});
      socket.on("data", () => {
        if (!answered) socket.write("HTTP/1.1 413 Payload Too Large\r\ncontent-length: 4\r\n\r\nnope");
        answered = true;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const { session } = newSession();
    const res = await session.send(request(url, { method: "POST", body: new Uint8Array(16 * 1024 * 1024) }), TAGS);
    expect(res.status).toBe(413);
    expect(session.openConnections()).toBe(0);
    expect((await session.send(request(url), TAGS)).status).toBe(413);
    expect(connections).toBe(2);
    session.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test("timings add up and tags name the request", async () => {
    const { session, samples } = newSession();
    const res = await session.send(request(`${counting.url}/t`, { name: "timed" }), { scenario: "x" });
    const t = res.timings;
    expect(t.duration).toBeCloseTo(t.sending + t.waiting + t.receiving, 6);
    for (const v of Object.values(t)) expect(v).toBeGreaterThanOrEqual(0);
    expect(samples[0]!.tags).toEqual({ scenario: "x", name: "timed", method: "GET", status: "200" });
    expect(samples.find((s) => s.metric === "http_req_failed")!.value).toBe(0);
    session.close();
  });

  test("receiving runs from the first response byte to the arrival of the last (parsing is not counted); a reused idle connection blocks nothing", async () => {
    // One server answers in one write; the other sends the head and half the body, then the rest 80 ms later.
    const server = createServer((socket) => {
      socket.on("error", () => {});
      socket.on("data", (data) => {
        if (data.toString().startsWith("GET /split")) {
          socket.write("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhello");
          setTimeout(() => socket.write("world"), 80);
        } else {
          socket.write("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nwhole");
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const { session } = newSession();
    const whole = await session.send(request(`${base}/whole`), TAGS);
    expect(whole.body).toBe("whole");
    // Everything came in the chunk that carried the first byte.
    expect(whole.timings.receiving).toBe(0);
    const split = await session.send(request(`${base}/split`), TAGS);
    expect(split.body).toBe("helloworld");
    expect(split.timings.receiving).toBeGreaterThanOrEqual(70);
    // The second request found the first one's connection idle: nothing blocked it, no connect.
    expect(split.timings.blocked).toBe(0);
    expect(split.timings.connecting).toBe(0);
    expect(split.timings.duration).toBeCloseTo(split.timings.sending + split.timings.waiting + split.timings.receiving, 6);
    session.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
