// `--out csv=FILE`: k6's CSV columns (outputs/csv/rows.ts), one row per series per interval, from
// the run loop's snapshots. The header is written at start; the file is gzip-compressed when its
// name ends in `.gz`; rows are buffered and flushed every `flushInterval` (outputs/buffered-writer.ts);
// the final partial interval is written before the file is closed. The common `tags` option and
// the host's `run_id` apply (outputs/series-view.ts).
import { resolve } from "node:path";
import type { RunSnapshot } from "../../core/run/run-loop.ts";
import type { Tags } from "../../metrics/types.ts";
import { ConfigError } from "../../shared/errors.ts";
import { BufferedWriter, openOutputFile, type TextSink } from "../buffered-writer.ts";
import { readCommonOptions, type TagFilter } from "../common-options.ts";
import { pointsOf } from "../series-view.ts";
import type { Output, OutputModule } from "../types.ts";
import { CSV_HEADER, csvRow } from "./rows.ts";

export interface CsvOptions {
  path: string;
  origin: string;
  flushIntervalMs?: number;
  tags?: TagFilter;
  extraTags?: Tags;
  openSink?: (path: string) => Promise<TextSink>;
}

export class CsvOutput implements Output {
  readonly description: string;
  readonly #options: CsvOptions;
  #writer: BufferedWriter | undefined;
  #error: Error | undefined;

  constructor(options: CsvOptions) {
    this.#options = options;
    this.description = `csv (${options.path})`;
  }

  async start(): Promise<void> {
    let sink: TextSink;
    try {
      sink = await (this.#options.openSink ?? openOutputFile)(this.#options.path);
    } catch (error) {
      throw new ConfigError(`${this.#options.origin}: the file ${this.#options.path} cannot be written (${(error as Error).message})`, "give a path in an existing, writable directory");
    }
    this.#writer = new BufferedWriter(sink, this.#options.flushIntervalMs);
    this.#writer.push(CSV_HEADER);
  }

  add(snapshot: RunSnapshot): void {
    const writer = this.#writer;
    if (!writer) return;
    try {
      const { interval } = snapshot;
      for (const point of pointsOf(interval, this.#options.tags, this.#options.extraTags)) writer.push(csvRow(point, interval.endUnixMs));
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

export const csvOutput: OutputModule = {
  name: "csv",
  usage: "csv=FILE  one row per series per second in k6's CSV columns (gzip for .gz)",
  options: {},
  create(argument, options, context) {
    const origin = context.origin ?? `--out csv=${argument}`;
    if (argument.trim() === "") throw new ConfigError(`${origin}: csv needs a file, like --out csv=FILE`, "for example --out csv=results.csv");
    const common = readCommonOptions(options);
    return new CsvOutput({
      path: resolve(context.cwd, argument),
      origin,
      flushIntervalMs: common.flushIntervalMs,
      tags: common.tags,
      ...(context.runId !== undefined ? { extraTags: { run_id: context.runId } } : {}),
    });
  },
};
