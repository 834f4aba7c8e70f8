// What an agent could not send while it had no registered stream: a run's metric batches and
// events, kept in order and delivered after the next Registered (before anything newer), so the
// work done while the connection was down still reaches the controller. The controller merges a
// batch for a run until the run is finalized, even from an agent it wrote off
// (cluster/controller/run.ts), and drops duplicates by sequence number.
//
// Contract: single-threaded (the agent's event loop). Bounded: past MAX_QUEUED messages the
// oldest go first, and `dropped` counts them so the agent can say so.
import type { AgentMessage } from "../protocol.ts";

/** About two minutes of once-a-second batches. */
export const MAX_QUEUED = 120;

export class Outbox {
  readonly #queue: AgentMessage[] = [];
  #dropped = 0;

  /** Keeps a message for later; only run messages (metrics, run events) are worth keeping. */
  keep(message: AgentMessage): void {
    if (message.body !== "metrics" && message.body !== "run_event") return;
    this.#queue.push(message);
    if (this.#queue.length > MAX_QUEUED) {
      this.#queue.shift();
      this.#dropped++;
    }
  }

  get size(): number {
    return this.#queue.length;
  }

  /** Messages dropped for the bound since the last `drain`. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Hands every kept message to `write` in order; stops (keeping the rest) at the first that fails. */
  drain(write: (message: AgentMessage) => boolean): void {
    while (this.#queue.length > 0) {
      if (!write(this.#queue[0]!)) return;
      this.#queue.shift();
    }
    this.#dropped = 0;
  }

  clear(): void {
    this.#queue.length = 0;
    this.#dropped = 0;
  }
}
