// `grpcStatus: OK` (or `NOT_FOUND`, or a number 0..16, or a list of them): the call ended with
// one of these gRPC status codes. The session puts the code in `ResponseView.attributes.grpcStatus`
// (a call whose response arrived has a non-zero HTTP-like `status`; see call.ts).
import { status as codes } from "@grpc/grpc-js";
import * as v from "valibot";
import type { CheckKind } from "../../plugin-api/types.ts";
import { byType, int, list, type Schema } from "../../config/schema/helpers.ts";
import { checkMap } from "../../config/schema/checks.ts";

/** The attribute the session sets (call.ts). */
export const GRPC_STATUS_ATTRIBUTE = "grpcStatus";

/** gRPC status names by code (OK … UNAUTHENTICATED), from grpc-js's enum. */
export const STATUS_NAMES: readonly string[] = Object.entries(codes)
  .filter(([, code]) => typeof code === "number")
  .sort((a, b) => (a[1] as number) - (b[1] as number))
  .map(([name]) => name);

const name: Schema = v.picklist(STATUS_NAMES as [string, ...string[]], (issue) => `"${String(issue.input)}" is not a gRPC status; one of ${STATUS_NAMES.join(", ")}`) as unknown as Schema;
const one: Schema = byType("a gRPC status name (OK, NOT_FOUND …) or code (0..16)", { string: name, number: int(0, STATUS_NAMES.length - 1) });

export interface GrpcStatusCheck {
  oneOf: number[];
}

const codeOf = (value: unknown): number => (typeof value === "number" ? value : STATUS_NAMES.indexOf(String(value)));

export const grpcStatusCheck: CheckKind<GrpcStatusCheck> = {
  key: "grpcStatus",
  schema: checkMap({ grpcStatus: byType("a gRPC status or a list of them", { string: one, number: one, array: list(one, "gRPC statuses", 1) }) }, "grpcStatus check"),
  normalize(raw) {
    const values = Array.isArray(raw.grpcStatus) ? raw.grpcStatus : [raw.grpcStatus];
    const oneOf = values.map(codeOf).filter((c) => c >= 0);
    return { spec: { oneOf }, name: `grpcStatus is ${oneOf.map((c) => STATUS_NAMES[c]).join(" or ")}` };
  },
  evaluate: (spec, response) => spec.oneOf.includes(Number(response.attributes?.[GRPC_STATUS_ATTRIBUTE] ?? -1)),
};

export const GRPC_CHECKS = { grpcStatus: grpcStatusCheck } as const;
