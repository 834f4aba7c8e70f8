// A run's live event feed: every subscriber gets each event as it happens, and a late subscriber
// (an SSE client connecting mid-run) first gets the recent status and agent events. Progress
// events are not kept: there is one a second and only the latest matters.
import type { RunEventView } from "../api-types.ts";

/** Status and agent events kept for late subscribers. */
const MAX_LOGGED_EVENTS = 500;

export class EventFeed {
  readonly #events: RunEventView[] = [];
  readonly #subscribers = new Set<(event: RunEventView) => void>();

  subscribe(listener: (event: RunEventView) => void): { past: RunEventView[]; unsubscribe(): void } {
    this.#subscribers.add(listener);
    return { past: [...this.#events], unsubscribe: () => this.#subscribers.delete(listener) };
  }

  emit(event: RunEventView): void {
    if (event.type !== "progress") {
      this.#events.push(event);
      if (this.#events.length > MAX_LOGGED_EVENTS) this.#events.splice(0, this.#events.length - MAX_LOGGED_EVENTS);
    }
    for (const s of this.#subscribers) s(event);
  }

  /** After the last event: drops every subscriber. */
  close(): void {
    this.#subscribers.clear();
  }
}
