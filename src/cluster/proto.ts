// Loads loadr.coordination.v1 in-process from the proto text embedded in the bundle: protobufjs
// parses it, proto-loader turns it into a grpc-js service definition. No protoc, no files on
// disk at run time.
import * as grpc from "@grpc/grpc-js";
import { fromJSON, type Options } from "@grpc/proto-loader";
import protobuf from "protobufjs";
import protoText from "../../proto/loadr/coordination/v1/coordination.proto" with { type: "text" };

/** How messages look in JS: see src/cluster/protocol.ts. */
const LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true,
};

const SERVICE_NAME = "loadr.coordination.v1.Coordination";

let cached: grpc.ServiceDefinition | undefined;

/** The Coordination service definition (for server.addService and makeGenericClientConstructor). */
export function coordinationService(): grpc.ServiceDefinition {
  if (cached) return cached;
  const root = protobuf.parse(protoText, { keepCase: true }).root;
  const definition = fromJSON(root.toJSON(), LOADER_OPTIONS);
  const service = definition[SERVICE_NAME];
  if (!service || !("Connect" in service)) throw new Error("coordination.proto has no Coordination service");
  cached = service as unknown as grpc.ServiceDefinition;
  return cached;
}
