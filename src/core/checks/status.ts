// `status: 200` or `status: [200, 201]`: the response's status is one of them.
import type { CheckKind } from "../../plugin-api/types.ts";
import { byType, int, list } from "../../config/schema/helpers.ts";
import { checkMap } from "../../config/schema/checks.ts";

export interface StatusCheck {
  oneOf: number[];
}

export const statusCheck: CheckKind<StatusCheck> = {
  key: "status",
  schema: checkMap(
    { status: byType("a status code or a list of them", { number: int(100, 599), array: list(int(100, 599), "status codes", 1, "needs at least one status code") }) },
    "status check",
  ),
  normalize(raw) {
    const oneOf = (Array.isArray(raw.status) ? raw.status : [raw.status]).filter((s): s is number => typeof s === "number");
    return { spec: { oneOf }, name: `status is ${oneOf.join(" or ")}` };
  },
  evaluate: (spec, response) => spec.oneOf.includes(response.status),
};
