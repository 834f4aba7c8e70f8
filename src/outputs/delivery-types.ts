// The contract of output delivery, written once for every output that sends to a receiver
// (Prometheus remote write, InfluxDB, OTLP, StatsD …): queueing, batching, retry with backoff,
// and the accounting of what was dropped and why. The implementation is outputs/delivery.ts
// (`createDelivery`); an output's own code only encodes batches and sends one.
//
// Contract:
// - `push` is called on the run loop's thread from `Output.add`; it never blocks, never throws
//   and never awaits the network. Past `maxQueuedPoints` the oldest queued items are dropped
//   and counted (reason "queue full: the receiver is slower than the run").
// - A timer (every `flushIntervalMs`) takes up to `maxBatchItems` queued items and calls `send`
//   once; one send is in flight at a time (after an accepted batch, a full batch still queued
//   is sent at once rather than on the next tick). A send that throws (or exceeds `timeoutMs`) is
//   retried with exponential backoff from `retry.initialMs` up to `retry.maxMs`, at most
//   `retry.attempts` times in all; then its items are dropped and counted with the last error.
//   `send` throws `PermanentDeliveryError` for a failure that retrying cannot fix (HTTP 400):
//   dropped at once.
// - `onProblem` is told, once per change of state, that the receiver is failing (and once that
//   it recovered): the live view shows it. The load test never fails because of an output.
// - `close` flushes what is queued (bounded by `closeTimeoutMs`; what is left is dropped and
//   counted) and resolves with the final report; it never rejects. Once closing, it waits out no
//   backoff: a batch that fails is retried once at once, then it and what is queued are dropped. A `push` after `close` is
//   dropped and counted.
export interface DeliveryOptions<Item> {
  /** Names the output in messages: "prometheus-rw (http://127.0.0.1:9090/api/v1/write)". */
  readonly name: string;
  /** Sends one batch; resolves when the receiver accepted it. */
  send(batch: readonly Item[], signal: AbortSignal): Promise<void>;
  /** How many metric points an item holds (what `DeliveryReport` counts). Default 1. */
  pointsOf?(item: Item): number;
  readonly flushIntervalMs: number;
  readonly maxBatchItems: number;
  readonly maxQueuedPoints: number;
  readonly timeoutMs: number;
  readonly closeTimeoutMs: number;
  readonly retry: { readonly attempts: number; readonly initialMs: number; readonly maxMs: number };
  onProblem?(message: string): void;
}

/** What an output delivered and lost; the summary shows it (`Output.report`). */
export interface DeliveryReport {
  readonly sentPoints: number;
  readonly droppedPoints: number;
  /** Why points were dropped, each reason once, with its count: "412 points: connect ECONNREFUSED 127.0.0.1:9". */
  readonly reasons: readonly string[];
}

export interface Delivery<Item> {
  push(item: Item): void;
  /** What was sent and dropped so far. */
  report(): DeliveryReport;
  close(): Promise<DeliveryReport>;
}

/** Thrown by `send` for a rejection that retrying cannot fix (a 4xx other than 429). */
export class PermanentDeliveryError extends Error {}
