// The demo target's protocol seam, with test-only endpoints standing in for the protocols that
// will register there: a listener on a port of its own (a TCP line echo, as listeners/types.ts
// `DemoListener`) and routes on the HTTP port (protocol-routes.ts `DemoRoute`), one of them a
// WebSocket echo through the server's `websocket` hook. Each is started and stopped with the demo,
// listed in its endpoints, and counted in `/_stats` under its protocol.
import { afterEach, describe, expect, test } from "bun:test";
import type { DemoListener } from "../../../src/demo/listeners/types.ts";
import type { DemoRoute } from "../../../src/demo/protocol-routes.ts";
import { DemoListenError, MAX_WS_MESSAGE_BYTES, startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import type { StatsSnapshot } from "../../../src/demo/stats.ts";

/** A TCP line echo counted as protocol `tcpx`, one count per line. */
const tcpEcho: DemoListener = {
  name: "tcpx",
  flag: "--tcpx-port",
  async start(port, stats, { hostname }) {
    const listener = Bun.listen({
      hostname,
      port,
      socket: {
        data(socket, data) {
          for (const line of data.toString().split("\n").slice(0, -1)) {
            stats.count("echo", "tcpx");
            socket.write(`${line}\n`);
          }
        },
      },
    });
    return { port: listener.port, address: `${hostname}:${listener.port}`, stop: async () => listener.stop(true) };
  },
};

const wsEcho: DemoRoute = (request, ctx) => {
  const upgraded = ctx.upgrade(request, {
    message(ws, message) {
      ctx.state.stats.count("/wsx", "wsx");
      ws.send(message);
    },
  });
  return upgraded ? undefined : new Response("use a WebSocket\n", { status: 426 });
};

const routes: Record<string, DemoRoute> = { "/hello": () => new Response("hi from a route\n"), "/wsx": wsEcho };

let demo: DemoServer | undefined;
afterEach(async () => {
  await demo?.stop();
  demo = undefined;
});

const stats = async (server: DemoServer) => (await (await fetch(`${server.url}/_stats`)).json()) as StatsSnapshot;

/** Sends `lines` over one TCP connection and resolves with everything echoed once all came back. */
async function tcpRoundTrip(port: number, lines: string[]): Promise<string> {
  const expected = lines.map((l) => `${l}\n`).join("");
  let received = "";
  const { promise, resolve, reject } = Promise.withResolvers<string>();
  const timer = setTimeout(() => reject(new Error(`echo incomplete: ${JSON.stringify(received)}`)), 5000);
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(s, data) {
        received += data.toString();
        if (received.length >= expected.length) {
          clearTimeout(timer);
          s.end();
          resolve(received);
        }
      },
      error: (_s, error) => reject(error),
    },
  });
  socket.write(expected);
  return promise;
}

/** Opens a WebSocket and resolves once it is open. */
async function openSocket(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`cannot open ${url}`));
  });
  return ws;
}

const nextMessage = (ws: WebSocket) => new Promise<string | ArrayBuffer>((resolve) => (ws.onmessage = (event) => resolve(event.data)));

describe("a demo listener on a port of its own", () => {
  test("starts with the demo on a free port, is listed after the HTTP server, counts under its protocol and stops with it", async () => {
    demo = await startDemoServer({ port: 0, listeners: { tcpx: tcpEcho }, routes: {} });
    const [http, tcpx] = demo.endpoints;
    expect(http).toEqual({ name: "http", port: demo.port, address: demo.url });
    expect(tcpx!.name).toBe("tcpx");
    expect(tcpx!.port).toBeGreaterThan(0);
    expect(tcpx!.address).toBe(`127.0.0.1:${tcpx!.port}`);

    expect(await tcpRoundTrip(tcpx!.port, ["a", "b"])).toBe("a\nb\n");
    await fetch(`${demo.url}/json`);
    expect(await stats(demo)).toEqual({ total: 3, byPath: { echo: 2, "/json": 1 }, byProtocol: { tcpx: 2, http: 1 } });

    await demo.stop();
    demo = undefined;
    await expect(Bun.connect({ hostname: "127.0.0.1", port: tcpx!.port, socket: { data() {} } })).rejects.toThrow();
  });

  test("a listener that cannot listen fails the start, named, and the HTTP server it had started is stopped", async () => {
    const taken = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const httpPort = probe.port;
    probe.stop(true);
    try {
      const failed = startDemoServer({ port: httpPort, listeners: { tcpx: tcpEcho }, listenerPorts: { tcpx: taken.port }, routes: {} });
      await expect(failed).rejects.toBeInstanceOf(DemoListenError);
      await expect(failed).rejects.toThrow(`the demo's tcpx listener could not listen on 127.0.0.1:${taken.port}`);
      // The HTTP port is free again: a demo without the listener gets it.
      demo = await startDemoServer({ port: httpPort, listeners: {}, routes: {} });
      expect(demo.port).toBe(httpPort);
    } finally {
      taken.stop(true);
    }
  });

  test("a port for a listener that is not registered is a wiring error", async () => {
    await expect(startDemoServer({ port: 0, listeners: {}, listenerPorts: { nope: 1 } })).rejects.toThrow('no demo listener "nope"');
  });
});

describe("protocol routes on the HTTP port", () => {
  test("answer their exact path before the built-in endpoints and are listed on the index page", async () => {
    demo = await startDemoServer({ port: 0, listeners: {}, routes });
    expect(await (await fetch(`${demo.url}/hello`)).text()).toBe("hi from a route\n");
    expect(await (await fetch(`${demo.url}/`)).text()).toContain("/hello, /wsx, /_stats");
    expect((await fetch(`${demo.url}/hello/more`)).status).toBe(404);
  });

  test("a WebSocket route echoes text and binary through the server's websocket hook; messages count under its protocol", async () => {
    demo = await startDemoServer({ port: 0, listeners: {}, routes });
    expect((await fetch(`${demo.url}/wsx`)).status).toBe(426);
    const ws = await openSocket(`${demo.url.replace("http", "ws")}/wsx`);
    const text = nextMessage(ws);
    ws.send("hello");
    expect(await text).toBe("hello");
    const binary = nextMessage(ws);
    ws.send(new Uint8Array([1, 2, 3]));
    expect([...new Uint8Array((await binary) as ArrayBuffer)]).toEqual([1, 2, 3]);
    ws.close();
    // The plain GET and the upgrade request are HTTP requests; the two messages are the route's.
    expect(await stats(demo)).toEqual({ total: 4, byPath: { "/wsx": 4 }, byProtocol: { http: 2, wsx: 2 } });
  });

  test("a WebSocket message past the size limit closes the socket (1009) and is not counted", async () => {
    demo = await startDemoServer({ port: 0, listeners: {}, routes });
    const ws = await openSocket(`${demo.url.replace("http", "ws")}/wsx`);
    const closed = new Promise<number>((resolve) => (ws.onclose = (event) => resolve(event.code)));
    ws.send(new Uint8Array(MAX_WS_MESSAGE_BYTES + 1));
    expect(await closed).toBe(1009);
    expect((await stats(demo)).byProtocol).toEqual({ http: 1 });
  });
});
