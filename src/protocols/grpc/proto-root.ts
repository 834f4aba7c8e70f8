// A plan's .proto as protobufjs types, with no protoc and no disk access of its own: the entry
// file and every file it imports are read through a reader the caller gives (config/plan-files.ts
// `PlanFiles` at load, `StepCompileContext.readFile` at run), so a controller resolves them only
// among the files shipped with the plan. Imports are resolved beside the entry file (protoc's
// `-I <dir of the entry>`); `google/protobuf/*.proto` come from protobufjs's bundled copies.
// Messages cross as JSON objects (protobufjs `fromObject`/`toObject`: int64 as strings, enums by
// name, defaults filled in).
import { dirname, join, normalize } from "node:path";
import protobuf from "protobufjs";

/** Most files one proto may pull in through imports (a loop or a mistaken tree is bounded). */
const MAX_PROTO_FILES = 64;

const PARSE_OPTIONS = { keepCase: true } as const;

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, bytes: String, defaults: true, arrays: true, objects: true, oneofs: true };

export type CallKind = "unary" | "server-streaming" | "client-streaming" | "bidirectional";

/** One method of a loaded proto: how to encode its requests and decode its responses. */
export interface ProtoMethod {
  /** `package.Service/Method`, as written in the plan (the `method` metric tag). */
  readonly name: string;
  /** The HTTP/2 path, `/package.Service/Method`. */
  readonly path: string;
  readonly kind: CallKind;
  /** Why `message` does not fit the request type, or undefined when it does. */
  verify(message: unknown): string | undefined;
  encode(message: unknown): Buffer;
  decode(bytes: Buffer): Record<string, unknown>;
}

/** Why a proto cannot be used: a file that cannot be read or parsed, or a method that is not in it. */
export class ProtoError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    /** The plan key the problem belongs to: the proto file or the method. */
    readonly at: "proto" | "method",
  ) {
    super(message);
  }
}

/** The imports of one proto text, resolved to plan-relative paths; throws ProtoError on a syntax error. */
function importsOf(path: string, text: string, entryDir: string): string[] {
  let parsed: protobuf.IParserResult;
  try {
    parsed = protobuf.parse(text, new protobuf.Root(), PARSE_OPTIONS);
  } catch (error) {
    throw new ProtoError(`${path}: ${(error as Error).message}`, "fix the .proto file (proto3 syntax, as protoc accepts it)", "proto");
  }
  return [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])].filter((name) => !isBundled(name)).map((name) => normalize(join(entryDir, name)));
}

const isBundled = (name: string): boolean => name.startsWith("google/protobuf/") && protobuf.common.get(name) !== undefined;

/**
 * The walk over every file `entry` needs, in load order: it yields each plan-relative path to
 * read and is resumed with that file's text; it returns the files by path. One walk, two drivers.
 */
function* protoWalk(entry: string): Generator<string, Map<string, string>, string> {
  const files = new Map<string, string>();
  const queue = [entry];
  const entryDir = dirname(entry);
  while (queue.length > 0) {
    const path = queue.shift()!;
    if (files.has(path)) continue;
    if (files.size >= MAX_PROTO_FILES) throw tooMany(entry);
    const text = yield path;
    files.set(path, text);
    queue.push(...importsOf(path, text, entryDir));
  }
  return files;
}

/** Every file `entry` needs, read with `read` (which throws a ProtoError for a file it cannot give). */
export async function collectProtoFiles(entry: string, read: (path: string) => Promise<string>): Promise<Map<string, string>> {
  const walk = protoWalk(entry);
  for (let step = walk.next(); ; ) {
    if (step.done) return step.value;
    step = walk.next(await read(step.value));
  }
}

/** The synchronous twin of `collectProtoFiles` (the loader reads through PlanFiles). */
export function collectProtoFilesSync(entry: string, read: (path: string) => string): Map<string, string> {
  const walk = protoWalk(entry);
  for (let step = walk.next(); ; ) {
    if (step.done) return step.value;
    step = walk.next(read(step.value));
  }
}

const tooMany = (entry: string) =>
  new ProtoError(`${entry} imports more than ${MAX_PROTO_FILES} files`, "check the import statements for a mistaken tree", "proto");

/** One protobufjs root of every file (`collectProtoFiles`' result); throws ProtoError when they do not resolve. */
export function buildRoot(files: ReadonlyMap<string, string>): protobuf.Root {
  const root = new protobuf.Root();
  for (const name of protobufImports(files)) root.addJSON(protobuf.common.get(name)!.nested!);
  for (const [path, text] of files) {
    try {
      protobuf.parse(text, root, PARSE_OPTIONS);
    } catch (error) {
      throw new ProtoError(`${path}: ${(error as Error).message}`, "fix the .proto file", "proto");
    }
  }
  try {
    root.resolveAll();
  } catch (error) {
    throw new ProtoError(`${[...files.keys()][0]}: ${(error as Error).message}`, "import the file that defines the type, beside the plan's proto", "proto");
  }
  return root;
}

function protobufImports(files: ReadonlyMap<string, string>): Set<string> {
  const names = new Set<string>();
  for (const text of files.values()) for (const match of text.matchAll(/import\s+(?:weak\s+|public\s+)?"(google\/protobuf\/[^"]+)"/g)) if (isBundled(match[1]!)) names.add(match[1]!);
  return names;
}

/** The method `package.Service/Method` of `root`; throws ProtoError (at "method") naming the ones there are. */
export function findMethod(root: protobuf.Root, name: string): ProtoMethod {
  const slash = name.lastIndexOf("/");
  const serviceName = slash > 0 ? name.slice(0, slash) : "";
  const methodName = name.slice(slash + 1);
  const services = servicesOf(root);
  const service = services.find((s) => s.fullName.slice(1) === serviceName);
  if (!service) {
    const known = services.map((s) => s.fullName.slice(1));
    throw new ProtoError(
      slash > 0 ? `the proto has no service "${serviceName}"` : `method "${name}" is not of the form package.Service/Method`,
      known.length > 0 ? `services in the proto: ${known.join(", ")}` : "the proto defines no service",
      "method",
    );
  }
  const method = service.methods[methodName];
  if (!method) {
    throw new ProtoError(`service ${serviceName} has no method "${methodName}"`, `its methods: ${Object.keys(service.methods).join(", ")}`, "method");
  }
  method.resolve();
  const requestType = method.resolvedRequestType!;
  const responseType = method.resolvedResponseType!;
  const kind: CallKind = method.requestStream
    ? method.responseStream
      ? "bidirectional"
      : "client-streaming"
    : method.responseStream
      ? "server-streaming"
      : "unary";
  return {
    name,
    path: `/${serviceName}/${methodName}`,
    kind,
    verify: (message) => {
      if (typeof message !== "object" || message === null || Array.isArray(message)) return `a ${requestType.name} message must be a map of its fields`;
      const unknown = Object.keys(message).filter((key) => !(key in requestType.fields));
      if (unknown.length > 0) return `${requestType.name} has no field ${unknown.join(", ")} (its fields: ${Object.keys(requestType.fields).join(", ")})`;
      try {
        return requestType.verify(requestType.fromObject(message as Record<string, unknown>)) ?? undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
    encode: (message) => Buffer.from(requestType.encode(requestType.fromObject(message as Record<string, unknown>)).finish()),
    decode: (bytes) => responseType.toObject(responseType.decode(bytes), TO_OBJECT),
  };
}

function servicesOf(namespace: protobuf.NamespaceBase): protobuf.Service[] {
  const out: protobuf.Service[] = [];
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Service) out.push(nested);
    else if (nested instanceof protobuf.Namespace) out.push(...servicesOf(nested));
  }
  return out;
}
