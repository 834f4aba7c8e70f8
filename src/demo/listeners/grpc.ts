// The demo's gRPC listener (`--grpc-port`): the `loadr.demo.Greeter` of
// proto/loadr/demo/greeter.proto, insecure. SayHello answers `Hello <name>`; CountTo streams
// `i` = 1..n; Collect answers `Hello a,b,c` for the names it received; Chat answers
// `Hello <name>` per message. A name of `missing` answers NOT_FOUND. `/_stats` counts one per
// call, on arrival, under `byPath["/loadr.demo.Greeter/<Method>"]` and `byProtocol.grpc`.
// Bounded: messages of at most MAX_MESSAGE_BYTES, at most MAX_STREAM_MESSAGES per stream, n at
// most MAX_COUNT.
import * as grpc from "@grpc/grpc-js";
import protoText from "../../../proto/loadr/demo/greeter.proto" with { type: "text" };
import { buildRoot, findMethod, type ProtoMethod } from "../../protocols/grpc/proto-root.ts";
import type { DemoListener } from "./types.ts";

const MAX_MESSAGE_BYTES = 64 * 1024;
const MAX_STREAM_MESSAGES = 1000;
const MAX_COUNT = 1000;
const PROTOCOL = "grpc";
const SERVICE = "loadr.demo.Greeter";
const MISSING = "missing";

type Message = Record<string, unknown>;

function definition(): grpc.ServiceDefinition {
  const root = buildRoot(new Map([["greeter.proto", protoText]]));
  const entry = (name: string) => {
    const method: ProtoMethod = findMethod(root, `${SERVICE}/${name}`);
    // The server decodes requests and encodes responses: the loader's method is the client's view.
    const requestType = root.lookupType("loadr.demo." + (name === "CountTo" ? "CountRequest" : "HelloRequest"));
    const responseType = root.lookupType("loadr.demo." + (name === "CountTo" ? "CountReply" : "HelloReply"));
    return {
      path: method.path,
      requestStream: method.kind === "client-streaming" || method.kind === "bidirectional",
      responseStream: method.kind === "server-streaming" || method.kind === "bidirectional",
      requestSerialize: (m: Message) => Buffer.from(requestType.encode(requestType.fromObject(m)).finish()),
      requestDeserialize: (b: Buffer) => requestType.toObject(requestType.decode(b), { defaults: true }),
      responseSerialize: (m: Message) => Buffer.from(responseType.encode(responseType.fromObject(m)).finish()),
      responseDeserialize: (b: Buffer) => responseType.toObject(responseType.decode(b), { defaults: true }),
    };
  };
  return { SayHello: entry("SayHello"), CountTo: entry("CountTo"), Collect: entry("Collect"), Chat: entry("Chat") };
}

const notFound = (name: string): Partial<grpc.StatusObject> => ({ code: grpc.status.NOT_FOUND, details: `no one called "${name}" here` });
const nameOf = (m: Message): string => String(m.name ?? "");

export const grpcListener: DemoListener = {
  name: PROTOCOL,
  flag: "--grpc-port",
  start(port, stats, { hostname }) {
    const server = new grpc.Server({ "grpc.max_receive_message_length": MAX_MESSAGE_BYTES });
    const counted = (method: string) => stats.count(`/${SERVICE}/${method}`, PROTOCOL);
    server.addService(definition(), {
      SayHello(call: grpc.ServerUnaryCall<Message, Message>, callback: grpc.sendUnaryData<Message>) {
        counted("SayHello");
        const name = nameOf(call.request);
        if (name === MISSING) callback(notFound(name));
        else callback(null, { message: `Hello ${name}` });
      },
      CountTo(call: grpc.ServerWritableStream<Message, Message>) {
        counted("CountTo");
        const n = Number(call.request.n ?? 0);
        if (!Number.isInteger(n) || n < 0 || n > MAX_COUNT) {
          call.emit("error", Object.assign(new Error(`n must be 0..${MAX_COUNT}`), { code: grpc.status.INVALID_ARGUMENT }));
          return;
        }
        for (let i = 1; i <= n; i++) call.write({ i });
        call.end();
      },
      Collect(call: grpc.ServerReadableStream<Message, Message>, callback: grpc.sendUnaryData<Message>) {
        counted("Collect");
        const names: string[] = [];
        let done = false;
        const finish = (error: Partial<grpc.StatusObject> | null, reply?: Message) => {
          if (done) return;
          done = true;
          callback(error, reply);
        };
        call.on("data", (m: Message) => {
          if (nameOf(m) === MISSING) finish(notFound(MISSING));
          else if (names.length >= MAX_STREAM_MESSAGES) finish({ code: grpc.status.RESOURCE_EXHAUSTED, details: `at most ${MAX_STREAM_MESSAGES} messages` });
          else names.push(nameOf(m));
        });
        call.on("end", () => finish(null, { message: `Hello ${names.join(",")}` }));
        call.on("error", () => undefined);
      },
      Chat(call: grpc.ServerDuplexStream<Message, Message>) {
        counted("Chat");
        let received = 0;
        let done = false;
        call.on("data", (m: Message) => {
          if (done) return;
          received++;
          const name = nameOf(m);
          if (name === MISSING || received > MAX_STREAM_MESSAGES) {
            done = true;
            const status = name === MISSING ? notFound(name) : { code: grpc.status.RESOURCE_EXHAUSTED, details: `at most ${MAX_STREAM_MESSAGES} messages` };
            call.emit("error", Object.assign(new Error(status.details), status));
            return;
          }
          call.write({ message: `Hello ${name}` });
        });
        call.on("end", () => {
          if (!done) call.end();
        });
        call.on("error", () => undefined);
      },
    });
    const host = hostname.includes(":") ? `[${hostname}]` : hostname;
    return new Promise((resolve, reject) => {
      server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => {
        if (error) {
          server.forceShutdown();
          reject(error);
          return;
        }
        resolve({
          port: bound,
          address: `${host}:${bound}`,
          stop: () =>
            new Promise<void>((done) => {
              server.forceShutdown();
              done();
            }),
        });
      });
    });
  },
};
