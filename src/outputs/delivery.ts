// Delivery to a receiver, written once (the contract is outputs/delivery-types.ts): a queue fed by
// `push`, a timer that sends one batch at a time, retries with exponential backoff, a timeout per
// attempt, a cap on what is queued, and the count of every point dropped, by reason.
//
// How it runs (single-threaded; nothing here awaits on the caller's behalf):
// - `push` appends and, past `maxQueuedPoints`, drops the oldest queued items (counted).
// - Every `flushIntervalMs`, when no send is in flight, one batch of up to `maxBatchItems` items
//   is taken from the head of the queue and sent. After a batch is accepted, a full batch still
//   waiting is sent at once (a run that makes more than `maxBatchItems` items a tick is not held
//   to one batch per tick); otherwise the next waits for the timer.
// - An attempt fails when `send` throws or does not settle within `timeoutMs` (its signal is
//   aborted, and the attempt counts as failed even if `send` ignores the signal). The batch is
//   tried `retry.attempts` times in all, waiting `retry.initialMs`, then twice that, … at most
//   `retry.maxMs` between attempts; then it is dropped with the last error. A
//   `PermanentDeliveryError` drops it at once.
// - `onProblem` hears "failing" on the first failed attempt while healthy, and "recovered" on
//   the first accepted batch after that: once per change of state.
// - `close` stops the timer and sends what is queued, batch after batch, until the queue is empty
//   or `closeTimeoutMs` has passed; then it aborts the attempt in flight, drops what is left
//   (counted) and resolves with the report. Once close began, no backoff is waited out when the
//   receiver fails (or already failed): the batch is tried once more at once, and if that fails
//   too it and everything still queued are dropped (a receiver down for the whole run costs the
//   run's end one refused attempt, not closeTimeoutMs); an accepted batch ends that haste. A `push` after `close` is dropped and counted.
import { PermanentDeliveryError, type Delivery, type DeliveryOptions, type DeliveryReport } from "./delivery-types.ts";

const QUEUE_FULL = "queue full: the receiver is slower than the run";
const CLOSED = "the output closed (closeTimeoutMs) before they were delivered";
/** CLOSED while the receiver was failing: the error says why they were still queued. */
const closedWhileFailing = (error: string) => `not delivered before the output closed (closeTimeoutMs) while the receiver was failing: ${error}`;

export function createDelivery<Item>(options: DeliveryOptions<Item>): Delivery<Item> {
  return new QueuedDelivery(options);
}

interface Queued<Item> {
  readonly item: Item;
  readonly points: number;
}

class QueuedDelivery<Item> implements Delivery<Item> {
  readonly #options: DeliveryOptions<Item>;
  readonly #queue: Queued<Item>[] = [];
  /** Index of the queue's head (shifting a long array each batch is quadratic). */
  #head = 0;
  #queuedPoints = 0;
  #sentPoints = 0;
  #droppedPoints = 0;
  /** Drop reason → points, in the order reasons first appeared. */
  readonly #dropped = new Map<string, number>();
  readonly #timer: ReturnType<typeof setInterval>;
  #sending: Promise<void> | undefined;
  #failing = false;
  /** The last failed attempt's error, while failing. */
  #lastError = "";
  #closing: Promise<DeliveryReport> | undefined;
  /** Aborted when close's deadline passes: the attempt in flight and any backoff wait end. */
  readonly #deadline = new AbortController();
  /** Aborted when close begins with the receiver failing, or it fails during close: backoff waits end. */
  readonly #hurry = new AbortController();
  /** Closing, the receiver failed, and no batch was accepted since: the next failure gives up. */
  #hopeless = false;

  constructor(options: DeliveryOptions<Item>) {
    this.#options = options;
    this.#timer = setInterval(() => this.#flush(), Math.max(1, options.flushIntervalMs));
    this.#timer.unref?.();
  }

  push(item: Item): void {
    const points = this.#pointsOf(item);
    if (this.#closing) {
      this.#drop(points, "pushed after the output closed");
      return;
    }
    this.#queue.push({ item, points });
    this.#queuedPoints += points;
    while (this.#queuedPoints > this.#options.maxQueuedPoints && this.#head < this.#queue.length) {
      const oldest = this.#take(1)[0]!;
      this.#drop(oldest.points, QUEUE_FULL);
    }
  }

  report(): DeliveryReport {
    return {
      sentPoints: this.#sentPoints,
      droppedPoints: this.#droppedPoints,
      reasons: [...this.#dropped].map(([reason, points]) => `${points} point${points === 1 ? "" : "s"}: ${reason}`),
    };
  }

  close(): Promise<DeliveryReport> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<DeliveryReport> {
    clearInterval(this.#timer);
    if (this.#failing) {
      this.#hopeless = true;
      this.#hurry.abort();
    }
    const deadline = setTimeout(() => this.#deadline.abort(), Math.max(0, this.#options.closeTimeoutMs));
    try {
      await this.#sending;
      while (this.#size() > 0 && !this.#deadline.signal.aborted && !this.#hopeless) {
        const sending = this.#sendBatch(this.#take(this.#options.maxBatchItems)).then(() => {});
        this.#sending = sending;
        await sending;
      }
    } catch {
      // #sendBatch never rejects; nothing reaches here, and close must not reject.
    } finally {
      clearTimeout(deadline);
    }
    const left = this.#take(this.#size());
    const points = left.reduce((n, q) => n + q.points, 0);
    if (points > 0) this.#drop(points, this.#closedReason());
    return this.report();
  }

  #flush(): void {
    if (this.#sending || this.#closing || this.#size() === 0) return;
    this.#sending = (async () => {
      let full: boolean;
      do {
        const batch = this.#take(this.#options.maxBatchItems);
        const accepted = await this.#sendBatch(batch);
        full = accepted && !this.#closing && this.#size() >= this.#options.maxBatchItems;
      } while (full);
    })().finally(() => {
      this.#sending = undefined;
    });
  }

  /** Sends one batch with retries; resolves true when accepted, false when dropped. Never rejects. */
  async #sendBatch(batch: readonly Queued<Item>[]): Promise<boolean> {
    if (batch.length === 0) return true;
    const points = batch.reduce((n, q) => n + q.points, 0);
    const items = batch.map((q) => q.item);
    const { attempts, initialMs, maxMs } = this.#options.retry;
    let lastError = "no attempt was made";
    for (let attempt = 1; attempt <= Math.max(1, attempts); attempt++) {
      if (this.#deadline.signal.aborted) {
        this.#drop(points, this.#closedReason());
        return false;
      }
      try {
        await this.#attempt(items);
        this.#sentPoints += points;
        this.#hopeless = false;
        if (this.#failing) {
          this.#failing = false;
          this.#options.onProblem?.(`${this.#options.name}: the receiver recovered`);
        }
        return true;
      } catch (error) {
        if (this.#deadline.signal.aborted) {
          this.#drop(points, this.#closedReason());
          return false;
        }
        lastError = messageOf(error);
        this.#lastError = lastError;
        if (!this.#failing) {
          this.#failing = true;
          this.#options.onProblem?.(`${this.#options.name}: the receiver is failing (${lastError}); points are queued and retried, the run goes on`);
        }
        if (error instanceof PermanentDeliveryError) {
          this.#drop(points, `rejected by the receiver: ${lastError}`);
          return false;
        }
        if (this.#closing) {
          // Closing: one immediate retry, then give up on this batch and what is queued.
          if (this.#hopeless) break;
          this.#hopeless = true;
          this.#hurry.abort();
        }
      }
      if (attempt < attempts) await this.#wait(Math.min(maxMs, initialMs * 2 ** (attempt - 1)));
    }
    this.#drop(points, lastError);
    return false;
  }

  /** One call of `send`, failed after `timeoutMs` or at close's deadline whatever `send` does with its signal. */
  #attempt(items: readonly Item[]): Promise<void> {
    const { timeoutMs } = this.#options;
    const controller = new AbortController();
    const stop = () => controller.abort(new Error(`not delivered before the output closed`));
    this.#deadline.signal.addEventListener("abort", stop, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`no answer within ${timeoutMs} ms (timeoutMs)`);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
    });
    timedOut.catch(() => {});
    return Promise.race([Promise.resolve().then(() => this.#options.send(items, controller.signal)), timedOut]).finally(() => {
      clearTimeout(timer);
      this.#deadline.signal.removeEventListener("abort", stop);
    });
  }

  /** Waits `ms`, or not at all once close is in a hurry (`#hurry`). */
  #wait(ms: number): Promise<void> {
    const signal = this.#hurry.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  #closedReason(): string {
    return this.#failing ? closedWhileFailing(this.#lastError) : CLOSED;
  }

  #size(): number {
    return this.#queue.length - this.#head;
  }

  #take(n: number): Queued<Item>[] {
    const taken = this.#queue.slice(this.#head, this.#head + Math.max(1, n));
    this.#head += taken.length;
    for (const q of taken) this.#queuedPoints -= q.points;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    return taken;
  }

  #drop(points: number, reason: string): void {
    if (points <= 0) return;
    this.#droppedPoints += points;
    this.#dropped.set(reason, (this.#dropped.get(reason) ?? 0) + points);
  }

  #pointsOf(item: Item): number {
    const n = this.#options.pointsOf ? this.#options.pointsOf(item) : 1;
    return Number.isFinite(n) && n > 0 ? n : 0;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
