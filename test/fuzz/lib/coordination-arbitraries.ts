// Generators of what a peer can put on the coordination port: AgentMessages with hostile field
// values (encoded with the project's own serializer), those encodings mutated byte by byte,
// plain random bytes, and raw HTTP/2 requests with arbitrary gRPC framing. Agent ids come from a
// small noise pool (so re-registrations collide among the noise) and never name the real agent
// unless a property passes its id in.
import fc from "fast-check";
import { gzipSync } from "node:zlib";
import { coordinationService } from "../../../src/cluster/proto.ts";
import type { AgentMessage } from "../../../src/cluster/protocol.ts";
import { badBatches, validDelta } from "./delta-arbitraries.ts";
import { CONNECT_PATH, grpcFrame, type Ending, type H2Shape } from "./raw-peers.ts";

let serialize: ((value: unknown) => Buffer) | undefined;
/** The bytes grpc-js puts in a frame for `m` (undefined when protobufjs refuses the value). */
export function encode(m: AgentMessage): Uint8Array | undefined {
  serialize ??= coordinationService().Connect!.requestSerialize as (value: unknown) => Buffer;
  try {
    return serialize(m);
  } catch {
    return undefined;
  }
}

const bigString = fc.oneof(
  { weight: 8, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => "x".repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom("", "\u0000", "é✓𝄞", "../../etc/passwd", "<script>", "__proto__", "constructor") },
);
const int64ish = fc.oneof(fc.constant(Date.now()), fc.constantFrom(0, -1, 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2), fc.integer());
const uint32ish = fc.oneof(fc.nat({ max: 64 }), fc.constantFrom(0, 1, 2 ** 31, 2 ** 32 - 1));

export function noiseAgentId(extra: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(fc.constantFrom("noise-a", "noise-b", "noise-c", ...extra), bigString);
}

function registerArb(ids: fc.Arbitrary<string>): fc.Arbitrary<AgentMessage> {
  return fc
    .record({
      agent_id: ids,
      name: bigString,
      protocol_version: fc.oneof({ weight: 6, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: uint32ish }),
      cores: uint32ish,
      labels: fc.dictionary(bigString, bigString, { maxKeys: 6 }),
      unix_ms: int64ish,
      active_runs: fc.array(bigString, { maxLength: 3 }),
      version: bigString,
    })
    .map((register) => ({ body: "register", register }) as AgentMessage);
}

const runIds = (known: readonly string[]) => fc.oneof(fc.constantFrom("", "r-unknown", ...known), bigString);

function otherMessageArb(knownRuns: readonly string[] = []): fc.Arbitrary<AgentMessage> {
  const bad = badBatches(7).filter((b) => b.ci).map((b) => b.bytes);
  return fc.oneof(
    fc.record({ active_vus: uint32ish, run_state: fc.oneof(fc.constantFrom("idle", "running", "stopping"), bigString), run_id: runIds(knownRuns), unix_ms: int64ish, health: bigString })
      .map((heartbeat) => ({ body: "heartbeat", heartbeat }) as AgentMessage),
    fc.record({
      run_id: runIds(knownRuns),
      delta: fc.oneof(fc.constantFrom(...bad), fc.nat({ max: 30 }).map((n) => validDelta(n)), fc.uint8Array({ maxLength: 256 })),
      seq: int64ish.map(Math.abs),
      final: fc.boolean(),
      unix_ms: int64ish,
    }).map((metrics) => ({ body: "metrics", metrics }) as AgentMessage),
    fc.record({
      run_id: runIds(knownRuns),
      kind: fc.constantFrom("STARTED", "FINISHED", "FAILED", "KIND_UNSPECIFIED"),
      summary: bigString,
      error: bigString,
      notes: fc.array(bigString, { maxLength: 3 }),
      outcome: fc.constantFrom("finished", "stopped", "failed", "", "???"),
    }).map((run_event) => ({ body: "run_event", run_event }) as AgentMessage),
  );
}

/** One byte-level change to an encoding: flip, set, cut, insert, or repeat a slice. */
const mutation = fc.tuple(fc.constantFrom("flip", "set", "truncate", "insert", "repeat"), fc.nat(), fc.integer({ min: 0, max: 255 }));

function mutate(bytes: Uint8Array, edits: ReadonlyArray<[string, number, number]>): Uint8Array {
  let b = Array.from(bytes);
  for (const [kind, at, value] of edits) {
    const i = b.length === 0 ? 0 : at % b.length;
    if (kind === "flip" && b.length) b[i] = b[i]! ^ (1 << (value % 8));
    else if (kind === "set" && b.length) b[i] = value;
    else if (kind === "truncate") b = b.slice(0, i);
    else if (kind === "insert") b.splice(i, 0, value);
    else if (kind === "repeat") b.splice(i, 0, ...b.slice(i, i + 1 + (value % 16)));
  }
  return Uint8Array.from(b);
}

export type Frame = { how: "encoded" | "mutated"; message: AgentMessage; edits: Array<[string, number, number]> } | { how: "random"; bytes: Uint8Array };

export function frameBytes(f: Frame): Uint8Array {
  if (f.how === "random") return f.bytes;
  const bytes = encode(f.message) ?? new Uint8Array();
  return f.how === "mutated" ? mutate(bytes, f.edits) : bytes;
}

export interface StreamCase {
  frames: Frame[];
  ending: Ending;
  gzip: boolean;
}

/** A stream: usually a Register first (so later messages reach the run manager), then anything. */
export function streamCaseArb(ids: fc.Arbitrary<string>, knownRuns: readonly string[] = []): fc.Arbitrary<StreamCase> {
  const messageFrame = (m: fc.Arbitrary<AgentMessage>) =>
    fc.tuple(fc.constantFrom("encoded" as const, "encoded" as const, "mutated" as const), m, fc.array(mutation, { minLength: 1, maxLength: 4 }))
      .map(([how, message, edits]): Frame => ({ how, message, edits }));
  const anyFrame = fc.oneof(
    messageFrame(registerArb(ids)),
    messageFrame(otherMessageArb(knownRuns)),
    fc.uint8Array({ maxLength: 512 }).map((bytes): Frame => ({ how: "random", bytes })),
  );
  return fc.record({
    frames: fc.tuple(fc.option(messageFrame(registerArb(ids)), { freq: 4, nil: undefined }), fc.array(anyFrame, { maxLength: 5 }))
      .map(([first, rest]) => (first ? [first, ...rest] : rest)),
    ending: fc.constantFrom<Ending>("end", "cancel", "linger"),
    gzip: fc.boolean(),
  });
}

/** Raw HTTP/2 requests: any path and content type, gRPC frames with lying lengths and flags, gzip garbage and small bombs. */
export const h2ShapeArb: fc.Arbitrary<H2Shape> = (() => {
  const payload = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    registerArb(noiseAgentId()).map((m) => encode(m) ?? new Uint8Array()),
    fc.integer({ min: 1, max: 4 * 1024 * 1024 }).map((n) => gzipSync(Buffer.alloc(n))),
  );
  const frame = fc.tuple(payload, fc.constantFrom(0, 1, 1, 2, 255), fc.oneof(fc.constant(-1), fc.nat({ max: 1024 }), fc.constantFrom(0, 2 ** 31, 2 ** 32 - 1)))
    .map(([p, flag, len]) => grpcFrame(p, flag, len < 0 ? p.length : len));
  return fc.record({
    path: fc.oneof({ weight: 5, arbitrary: fc.constant(CONNECT_PATH) }, { weight: 1, arbitrary: fc.constantFrom("/", "/loadr.coordination.v1.Coordination/Nope", "/x/y", "*") }),
    contentType: fc.oneof({ weight: 4, arbitrary: fc.constant("application/grpc") }, { weight: 1, arbitrary: fc.constantFrom("application/grpc+proto", "application/json", "text/plain", "") }),
    encoding: fc.option(fc.constantFrom("identity", "gzip", "deflate", "snappy", "\u00e9"), { nil: undefined }),
    chunks: fc.array(fc.oneof(frame, fc.uint8Array({ maxLength: 64 })), { maxLength: 4 }),
    ending: fc.constantFrom<Ending>("end", "cancel", "linger"),
  });
})();
