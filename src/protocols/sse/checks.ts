// The SSE protocol's own check kind, accepted by `sse` steps beside the shared ones:
// `event: NAME` passes when at least one event of that name was read; with `count: N`, when
// exactly N were. It reads the stream view's `events.<name>` attribute (event-view.ts).
import type { CheckKind } from "../../plugin-api/types.ts";
import { checkMap } from "../../config/schema/checks.ts";
import { int, optional, str as strSchema } from "../../config/schema/helpers.ts";
import { num, str } from "../../config/normalize/context.ts";
import { eventsOf } from "./event-view.ts";

interface EventCheck {
  event: string;
  count?: number;
}

const eventCheck: CheckKind<EventCheck> = {
  key: "event",
  schema: checkMap({ event: strSchema("an event name"), count: optional(int(0)) }, "event check"),
  normalize(raw) {
    const event = str(raw.event) ?? "message";
    if (raw.count === undefined) return { spec: { event }, name: `event ${event} arrived` };
    const count = num(raw.count, 0);
    return { spec: { event, count }, name: `${count} ${event} event${count === 1 ? "" : "s"}` };
  },
  evaluate(spec, response) {
    const seen = Number(response.attributes?.[eventsOf(spec.event)] ?? 0);
    return spec.count === undefined ? seen > 0 : seen === spec.count;
  },
};

export const SSE_CHECKS = { event: eventCheck };
