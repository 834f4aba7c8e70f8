// The demo's WebSocket echo at /ws (src/demo/ws-echo.ts): text and binary come back as sent, each
// message counts once under `byProtocol.ws` (the upgrade itself is an HTTP request), and a plain
// GET is told to use a WebSocket.
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

test("/ws echoes text and binary; each message counts under byProtocol.ws", async () => {
  expect((await fetch(`${demo.url}/ws`)).status).toBe(426);
  const ws = new WebSocket(`${demo.url.replace("http", "ws")}/ws`);
  ws.binaryType = "arraybuffer";
  const messages: Array<string | ArrayBuffer> = [];
  const { promise: two, resolve } = Promise.withResolvers<void>();
  ws.onmessage = (event) => {
    messages.push(event.data);
    if (messages.length === 2) resolve();
  };
  await new Promise<void>((opened, failed) => {
    ws.onopen = () => opened();
    ws.onerror = () => failed(new Error("cannot open /ws"));
  });
  ws.send("hello");
  ws.send(new Uint8Array([0, 255, 7]));
  await two;
  ws.close();
  expect(messages[0]).toBe("hello");
  expect([...new Uint8Array(messages[1] as ArrayBuffer)]).toEqual([0, 255, 7]);
  const stats = await demoStats(demo.url);
  expect(stats.byProtocol).toEqual({ http: 2, ws: 2 });
  expect(stats.byPath["/ws"]).toBe(4);
});
