// JSONL output: one line per interval (default 1 s) with the whole-metric figures of that
// interval, aggregated from the deltas it received: {"time": ISO, "elapsedMs", "metrics":
// {"http_reqs": {"count", "rate"}, "http_req_duration": {"count", "avg", "min", "med", "max",
// "p(90)", "p(95)", "p(99)"}, …}}. Times in ms. Intervals without samples write no line.
import { Aggregator } from "../metrics/aggregator.ts";
import { MetricRegistry } from "../metrics/registry.ts";
import { k6Fields, type MetricValue } from "../metrics/values.ts";
import type { MetricBatch, Output } from "./types.ts";

export const JSONL_INTERVAL_MS = 1000;

/** Where lines go; the default appends to a file through Bun's buffered writer. */
export interface LineSink {
  write(text: string): void;
  end(): Promise<void>;
}

export interface JsonlOptions {
  path: string;
  intervalMs?: number;
  /** Injected for tests; defaults to a file writer on `path`. */
  sink?: LineSink;
  /** Wall clock (Date.now) and monotonic clock (performance.now), injectable for tests. */
  now?: () => number;
  monotonic?: () => number;
  registry?: MetricRegistry;
}

export class JsonlOutput implements Output {
  readonly description: string;
  readonly #options: JsonlOptions;
  readonly #aggregator: Aggregator;
  #sink: LineSink | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #pending = false;
  #lastElapsedMs = 0;

  constructor(options: JsonlOptions) {
    this.#options = options;
    this.description = `jsonl (${options.path})`;
    this.#aggregator = new Aggregator(options.registry ?? new MetricRegistry(), { clock: options.monotonic });
  }

  async start(): Promise<void> {
    this.#sink = this.#options.sink ?? fileSink(this.#options.path);
    this.#timer = setInterval(() => this.flush(), this.#options.intervalMs ?? JSONL_INTERVAL_MS);
  }

  add(batch: MetricBatch): void {
    try {
      this.#aggregator.merge(batch.delta);
      this.#pending = true;
      this.#lastElapsedMs = batch.elapsedMs;
    } catch {
      // never throw into the run loop; a malformed delta is the producer's bug and shows elsewhere
    }
  }

  /** Writes the line of the interval ending now, if anything arrived. Called by the timer and by stop. */
  flush(): void {
    if (!this.#pending || !this.#sink) return;
    this.#pending = false;
    const snapshot = this.#aggregator.takeInterval();
    const metrics: Record<string, Record<string, number>> = {};
    for (const [name, value] of Object.entries(snapshot.metrics)) if (hasSamples(value)) metrics[name] = k6Fields(value);
    const now = (this.#options.now ?? Date.now)();
    this.#sink.write(JSON.stringify({ time: new Date(now).toISOString(), elapsedMs: this.#lastElapsedMs, metrics }) + "\n");
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.flush();
    await this.#sink?.end();
    this.#sink = undefined;
  }
}

function hasSamples(v: MetricValue): boolean {
  if (v.type === "rate") return v.passes + v.fails > 0;
  return v.type === "gauge" || v.count > 0;
}

function fileSink(path: string): LineSink {
  const writer = Bun.file(path).writer();
  return {
    write: (text) => void writer.write(text),
    end: async () => {
      await writer.end();
    },
  };
}
