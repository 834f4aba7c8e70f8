// The protocol contract (issue 12 point 9) for the gRPC session and call (src/protocols/grpc/):
// failures come back as tagged errors and never throw or hang; a refused connection, a reset
// mid-message, a silent peer past the timeout and malformed frames are each one counted failure;
// counts equal what the server saw; closing a session closes every socket; metrics carry the
// tags the step gives (scenario, group, name). Against the real demo Greeter on port 0.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import protoText from "../../proto/loadr/demo/greeter.proto" with { type: "text" };
import { MemoryCookieJar } from "../../src/core/cookies.ts";
import { grpcListener } from "../../src/demo/listeners/grpc.ts";
import type { DemoListenerHandle } from "../../src/demo/listeners/types.ts";
import { RequestStats } from "../../src/demo/stats.ts";
import type { MetricSink, Tags } from "../../src/metrics/types.ts";
import { invoke, type GrpcCall } from "../../src/protocols/grpc/call.ts";
import { grpcHandler } from "../../src/protocols/grpc/index.ts";
import { buildRoot, findMethod } from "../../src/protocols/grpc/proto-root.ts";
import { closedPort, malformedServer, silentServer, waitFor, type TestServer } from "../helpers/bad-servers.ts";
import { tcpProxy, type TcpProxy } from "../helpers/tcp-proxy.ts";

const root = buildRoot(new Map([["greeter.proto", protoText]]));
const method = (name: string) => findMethod(root, `loadr.demo.Greeter/${name}`);
const TAGS: Tags = { scenario: "contract", group: "::g", name: "step" };

interface Recorded {
  metric: string;
  value: number;
  tags: Tags;
}

function open() {
  const samples: Recorded[] = [];
  const metrics: MetricSink = { add: (metric, value, tags) => void samples.push({ metric, value, tags: { ...tags } }) };
  const session = grpcHandler.openSession({ vu: 1, cookies: new MemoryCookieJar(), metrics });
  const count = (metric: string, where: (tags: Tags) => boolean = () => true) =>
    samples.filter((s) => s.metric === metric && where(s.tags)).reduce((sum, s) => sum + s.value, 0);
  return { session, samples, count };
}

const call = (target: string, name: string, messages: unknown[], extra: Partial<GrpcCall> = {}): GrpcCall => ({
  target,
  tls: undefined,
  method: method(name),
  metadata: [],
  messages,
  receiveCount: undefined,
  timeout: 5_000,
  ...extra,
});

describe("gRPC protocol contract", () => {
  const stats = new RequestStats();
  let demo: DemoListenerHandle;
  let target: string;
  beforeAll(async () => {
    demo = await grpcListener.start(0, stats, { hostname: "127.0.0.1" });
    target = demo.address;
  });
  afterAll(async () => {
    await demo.stop();
  });

  test("a unary call answers with grpcStatus OK, the message as JSON, and k6's metric tagged by method and status", async () => {
    const { session, samples } = open();
    const response = await invoke(session, call(target, "SayHello", [{ name: "ann" }]), TAGS);
    session.close();
    expect(response.error).toBeUndefined();
    expect(response.status).toBeGreaterThan(0);
    expect(response.attributes?.grpcStatus).toBe(0);
    expect(JSON.parse(response.body)).toEqual({ message: "Hello ann" });
    const duration = samples.filter((s) => s.metric === "grpc_req_duration");
    expect(duration).toHaveLength(1);
    expect(duration[0]!.tags).toMatchObject({ ...TAGS, method: "loadr.demo.Greeter/SayHello", status: "0" });
    expect(samples.every((s) => s.tags.scenario === "contract" && s.tags.group === "::g" && s.tags.name === "step")).toBe(true);
  });

  test("NOT_FOUND is a response whose grpcStatus is 5, not a network error", async () => {
    const { session, samples } = open();
    const response = await invoke(session, call(target, "SayHello", [{ name: "missing" }]), TAGS);
    session.close();
    expect(response.error).toBeUndefined();
    expect(response.status).toBeGreaterThan(0);
    expect(response.attributes?.grpcStatus).toBe(5);
    expect(samples.find((s) => s.metric === "grpc_req_duration")?.tags.status).toBe("5");
  });

  test("a server stream of 5 and a bidi stream of 3 are counted message by message", async () => {
    const { session, count } = open();
    const counted = await invoke(session, call(target, "CountTo", [{ n: 5 }], { receiveCount: 5, timeout: 2_000 }), TAGS);
    const chat = await invoke(session, call(target, "Chat", [{ name: "a" }, { name: "b" }, { name: "c" }], { receiveCount: 3, timeout: 2_000 }), TAGS);
    const collect = await invoke(session, call(target, "Collect", [{ name: "a" }, { name: "b" }]), TAGS);
    session.close();
    expect(JSON.parse(counted.body)).toEqual([1, 2, 3, 4, 5].map((i) => ({ i })));
    expect(JSON.parse(chat.body)).toEqual(["a", "b", "c"].map((n) => ({ message: `Hello ${n}` })));
    expect(JSON.parse(collect.body)).toEqual({ message: "Hello a,b" });
    const of = (m: string) => (tags: Tags) => tags.method === `loadr.demo.Greeter/${m}`;
    expect(count("grpc_streams_msgs_received", of("CountTo"))).toBe(5);
    expect(count("grpc_streams_msgs_received", of("Chat"))).toBe(3);
    expect(count("grpc_streams_msgs_sent", of("Chat"))).toBe(3);
    expect(count("grpc_streams_msgs_sent", of("Collect"))).toBe(2);
    expect(count("grpc_streams")).toBe(3);
  });

  test("a stream the server ends before the count is a response with the messages it sent", async () => {
    const { session, count } = open();
    const response = await invoke(session, call(target, "Chat", [{ name: "a" }], { receiveCount: 3, timeout: 2_000 }), TAGS);
    session.close();
    expect(response.error).toBeUndefined();
    expect(response.attributes).toMatchObject({ grpcStatus: 0, messages: 1 });
    expect(count("grpc_streams_msgs_received")).toBe(1);
  });

  test("calls counted by the client equal the calls the server saw, over one reused channel", async () => {
    const proxy = await tcpProxy(demo.port);
    const before = stats.snapshot().byProtocol.grpc ?? 0;
    const { session, samples } = open();
    for (let i = 0; i < 7; i++) await invoke(session, call(`127.0.0.1:${proxy.port}`, "SayHello", [{ name: `n${i}` }]), TAGS);
    expect(samples.filter((s) => s.metric === "grpc_req_duration")).toHaveLength(7);
    expect((stats.snapshot().byProtocol.grpc ?? 0) - before).toBe(7);
    expect(proxy.connections).toBe(1);
    session.close();
    await waitFor(() => proxy.open === 0);
    await proxy.close();
  });

  describe("failures: one tagged, counted failure each, never thrown, never past the timeout", () => {
    let silent: TestServer;
    let malformed: TestServer;
    let reset: TcpProxy;
    beforeAll(async () => {
      silent = await silentServer();
      malformed = await malformedServer();
      // Cut once the server has sent its settings, headers and a few stream messages.
      reset = await tcpProxy(demo.port, { cutAfterBytes: 300 });
    });
    afterAll(async () => {
      await Promise.all([silent.close(), malformed.close(), reset.close()]);
    });

    async function failing(target: string, name: string, messages: unknown[], timeout = 2_000) {
      const { session, samples } = open();
      const response = await invoke(session, call(target, name, messages, { timeout }), TAGS);
      session.close();
      const failures = samples.filter((s) => s.metric === "grpc_req_duration" && s.tags.error !== undefined);
      expect(failures).toHaveLength(1);
      expect(failures[0]!.tags.error).toBe(response.error!.code);
      expect(failures[0]!.tags).toMatchObject(TAGS);
      expect(response.status).toBe(0);
      expect(response.error!.message.length).toBeGreaterThan(10);
      return response;
    }

    test("a refused connection", async () => {
      const response = await failing(`127.0.0.1:${await closedPort()}`, "SayHello", [{ name: "x" }]);
      expect(response.error!.code).toBe("ECONNREFUSED");
    });

    test("a silent peer past the timeout", async () => {
      const started = performance.now();
      const response = await failing(`127.0.0.1:${silent.port}`, "SayHello", [{ name: "x" }], 300);
      expect(response.error!.code).toBe("timeout");
      expect(performance.now() - started).toBeLessThan(300 + 2_000);
    });

    test("malformed frames (a peer that is not HTTP/2)", async () => {
      const response = await failing(`127.0.0.1:${malformed.port}`, "SayHello", [{ name: "x" }]);
      expect(["malformed", "reset"]).toContain(response.error!.code);
    });

    test("a reset in the middle of a stream", async () => {
      const response = await failing(`127.0.0.1:${reset.port}`, "CountTo", [{ n: 1000 }]);
      expect(response.error!.code).toBe("reset");
    });

    test("an abort ends a call in flight promptly", async () => {
      const { session } = open();
      const controller = new AbortController();
      const pending = invoke(session, call(`127.0.0.1:${silent.port}`, "SayHello", [{ name: "x" }], { timeout: 60_000 }), TAGS, controller.signal);
      controller.abort();
      const response = await pending;
      session.close();
      expect(response.error?.code).toBe("aborted");
    });
  });
});
