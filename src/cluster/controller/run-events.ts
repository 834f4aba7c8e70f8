// A run's live event feed: every subscriber gets each event as it happens, and a late subscriber
// (an SSE client connecting mid-run) first gets the recent status and agent events. Progress
// events are not kept: there is one a second and only the latest matters. The `finished` event is
// the last one kept, so a subscriber that comes after `close` still gets it among the past ones.
import type { RunEventView } from "../api-types.ts";

/** Status and agent events kept for late subscribers. */
const MAX_LOGGED_EVENTS = 500;

export class EventFeed {
  readonly #events: RunEventView[] = [];
  readonly #subscribers = new Set<(event: RunEventView) => void>();
  #closed = false;

  /** The events kept so far, and from now on each new one (none after `close`). */
  subscribe(listener: (event: RunEventView) => void): { past: RunEventView[]; unsubscribe(): void } {
    if (!this.#closed) this.#subscribers.add(listener);
    return { past: [...this.#events], unsubscribe: () => this.#subscribers.delete(listener) };
  }

  emit(event: RunEventView): void {
    if (this.#closed) return;
    if (event.type !== "progress") {
      this.#events.push(event);
      if (this.#events.length > MAX_LOGGED_EVENTS) this.#events.splice(0, this.#events.length - MAX_LOGGED_EVENTS);
    }
    for (const s of this.#subscribers) s(event);
  }

  /** After the last event: drops every subscriber. */
  close(): void {
    this.#closed = true;
    this.#subscribers.clear();
  }
}
