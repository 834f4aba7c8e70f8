// What checks and extractions see of an SSE stream: the shared ResponseView (src/protocols/types.ts)
// with status and headers of the response, `body` the data of the last event read (so the shared
// json/body checks and json/regex extractions read the last event), `timings.waiting` the time to
// the response head and `duration` the whole stream. Attributes (read by the `event` check,
// checks.ts): `event` the last event's name, `id` its id, `events` how many were read, and
// `events.<name>` how many of each name.
import type { ResponseView } from "../types.ts";
import type { SseOutcome } from "./stream.ts";

export const eventsOf = (name: string): string => `events.${name}`;

export function streamView(url: string, outcome: SseOutcome): ResponseView {
  const attributes: Record<string, string | number> = { events: outcome.events };
  if (outcome.last) {
    attributes.event = outcome.last.event;
    attributes.id = outcome.last.id;
  }
  for (const [name, count] of outcome.byName) attributes[eventsOf(name)] = count;
  const duration = outcome.durationMs;
  return {
    status: outcome.status,
    headers: outcome.headers,
    body: outcome.last?.data ?? "",
    timings: { blocked: 0, connecting: 0, tlsHandshaking: 0, sending: 0, waiting: outcome.connectMs, receiving: Math.max(0, duration - outcome.connectMs), duration },
    url,
    attributes,
    ...(outcome.error ? { error: outcome.error } : {}),
  };
}
