// `--out jsonl=FILE`: every series of every interval as a JSON line (outputs/jsonl/lines.ts),
// from the run loop's snapshots; no aggregation of its own. The file is created (or truncated) at
// start; lines are buffered and flushed about once a second (outputs/buffered-writer.ts); the
// final partial interval is written before the file is closed.
import { resolve } from "node:path";
import type { RunSnapshot } from "../../core/run/run-loop.ts";
import { ConfigError } from "../../shared/errors.ts";
import { BufferedWriter, openFileSink, type TextSink } from "../buffered-writer.ts";
import type { Output, OutputModule } from "../types.ts";
import { metricLine, pointLine } from "./lines.ts";

export interface JsonlOptions {
  /** Absolute path of the file. */
  path: string;
  /** Injected for tests; defaults to the file at `path`. */
  openSink?: (path: string) => Promise<TextSink>;
  flushIntervalMs?: number;
}

export class JsonlOutput implements Output {
  readonly description: string;
  readonly #options: JsonlOptions;
  readonly #seen = new Set<string>();
  #writer: BufferedWriter | undefined;
  /** A snapshot that could not be written as lines (a bug); reported by `stop`. */
  #error: Error | undefined;

  constructor(options: JsonlOptions) {
    this.#options = options;
    this.description = `jsonl (${options.path})`;
  }

  async start(): Promise<void> {
    let sink: TextSink;
    try {
      sink = await (this.#options.openSink ?? openFileSink)(this.#options.path);
    } catch (error) {
      throw new ConfigError(
        `--out jsonl=${this.#options.path}: the file cannot be written (${(error as Error).message})`,
        "give a path in an existing, writable directory",
      );
    }
    this.#writer = new BufferedWriter(sink, this.#options.flushIntervalMs);
  }

  add(snapshot: RunSnapshot): void {
    const writer = this.#writer;
    if (!writer) return;
    const { interval } = snapshot;
    try {
      for (const series of interval.series) {
        if (!this.#seen.has(series.name)) {
          this.#seen.add(series.name);
          writer.push(metricLine(series));
        }
        writer.push(pointLine(series, interval));
      }
    } catch (error) {
      this.#error ??= error as Error;
    }
  }

  async stop(): Promise<void> {
    const writer = this.#writer;
    this.#writer = undefined;
    await writer?.close();
    if (this.#error) throw new Error(`${this.description}: an interval could not be written: ${this.#error.message}`);
  }
}

export const jsonlOutput: OutputModule = {
  name: "jsonl",
  usage: "jsonl=FILE  one JSON line per series per second (k6's JSON output)",
  create(argument, context) {
    if (argument.trim() === "") throw new ConfigError("--out jsonl needs a file: --out jsonl=FILE", "for example --out jsonl=results.jsonl");
    return new JsonlOutput({ path: resolve(context.cwd, argument) });
  },
};
