// `--out jsonl=FILE`: every series of every interval as a JSON line (outputs/jsonl/lines.ts),
// from the run loop's snapshots; no aggregation of its own. The file is created (or truncated) at
// start, gzip-compressed when its name ends in `.gz`; lines are buffered and flushed every
// `flushInterval` (default 1 s, outputs/buffered-writer.ts); the final partial interval is written
// before the file is closed. The common `tags` option and the host's `run_id` apply
// (outputs/series-view.ts).
import { resolve } from "node:path";
import type { RunSnapshot } from "../../core/run/run-loop.ts";
import { ConfigError } from "../../shared/errors.ts";
import { BufferedWriter, openOutputFile, type TextSink } from "../buffered-writer.ts";
import { readCommonOptions, type TagFilter } from "../common-options.ts";
import { pointsOf } from "../series-view.ts";
import type { Tags } from "../../metrics/types.ts";
import type { Output, OutputModule } from "../types.ts";
import { metricLine, pointLine } from "./lines.ts";

export interface JsonlOptions {
  /** Absolute path of the file. */
  path: string;
  /** Injected for tests; defaults to the file at `path`. */
  openSink?: (path: string) => Promise<TextSink>;
  flushIntervalMs?: number;
  tags?: TagFilter;
  /** Added to every point (the controller's run_id). */
  extraTags?: Tags;
  /** Names the output in errors: "--out jsonl=…" or "plan.yaml:3:5 outputs[0]". */
  origin?: string;
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
      sink = await (this.#options.openSink ?? openOutputFile)(this.#options.path);
    } catch (error) {
      throw new ConfigError(
        `${this.#options.origin ?? `--out jsonl=${this.#options.path}`}: the file ${this.#options.path} cannot be written (${(error as Error).message})`,
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
      for (const series of pointsOf(interval, this.#options.tags, this.#options.extraTags)) {
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
  usage: "jsonl=FILE  one JSON line per series per second (k6's JSON output; gzip for .gz)",
  options: {},
  create(argument, options, context) {
    const origin = context.origin ?? `--out jsonl=${argument}`;
    if (argument.trim() === "") throw new ConfigError(`${origin}: jsonl needs a file, like --out jsonl=FILE`, "for example --out jsonl=results.jsonl");
    const common = readCommonOptions(options);
    return new JsonlOutput({
      path: resolve(context.cwd, argument),
      flushIntervalMs: common.flushIntervalMs,
      tags: common.tags,
      ...(context.runId !== undefined ? { extraTags: { run_id: context.runId } } : {}),
      origin,
    });
  },
};
