// An output that writes text to one local file, written once for every file format (jsonl, csv):
// the file is created (or truncated) at start, gzip-compressed when its name ends in `.gz`
// (outputs/buffered-writer.ts `openOutputFile`), text is buffered and flushed every
// `flushInterval`, and the final partial interval is written before the file is closed. The
// common `tags` option and the host's `run_id` apply (outputs/series-view.ts). A format only
// turns the points of an interval into text (`FileFormat`).
//
// Contract: as outputs/types.ts. A file that cannot be opened is a ConfigError naming the origin;
// a snapshot the format cannot write is kept and `stop` rejects with it (a bug, not lost silently).
import { resolve } from "node:path";
import type { RunSnapshot } from "../core/run/run-loop.ts";
import type { IntervalSnapshot } from "../metrics/interval.ts";
import type { Tags } from "../metrics/types.ts";
import { ConfigError } from "../shared/errors.ts";
import { BufferedWriter, openOutputFile, type TextSink } from "./buffered-writer.ts";
import { readCommonOptions, type TagFilter } from "./common-options.ts";
import { pointsOf, type OutputPoint } from "./series-view.ts";
import type { Output, OutputModule } from "./types.ts";

/** One file format: its first text (a header) and the text of each interval's points. */
export interface FileFormat {
  readonly header?: string;
  /** Appends the text of `points` (of `interval`) to `out`. May keep state across intervals. */
  write(points: readonly OutputPoint[], interval: IntervalSnapshot, out: (text: string) => void): void;
}

export interface FileOutputOptions {
  /** The format's name, for the description: "jsonl". */
  name: string;
  /** Absolute path of the file. */
  path: string;
  format: FileFormat;
  /** Names the output in errors: "--out jsonl=…" or "plan.yaml:3:5 outputs[0]". */
  origin?: string;
  flushIntervalMs?: number;
  tags?: TagFilter;
  /** Added to every point (the controller's run_id). */
  extraTags?: Tags;
  /** Injected for tests; defaults to the file at `path`. */
  openSink?: (path: string) => Promise<TextSink>;
}

export class FileOutput implements Output {
  readonly description: string;
  readonly #options: FileOutputOptions;
  #writer: BufferedWriter | undefined;
  /** A snapshot the format could not write (a bug); reported by `stop`. */
  #error: Error | undefined;

  constructor(options: FileOutputOptions) {
    this.#options = options;
    this.description = `${options.name} (${options.path})`;
  }

  async start(): Promise<void> {
    const { path, name } = this.#options;
    let sink: TextSink;
    try {
      sink = await (this.#options.openSink ?? openOutputFile)(path);
    } catch (error) {
      throw new ConfigError(`${this.#options.origin ?? `--out ${name}=${path}`}: the file ${path} cannot be written (${(error as Error).message})`, "give a path in an existing, writable directory");
    }
    this.#writer = new BufferedWriter(sink, this.#options.flushIntervalMs);
    if (this.#options.format.header !== undefined) this.#writer.push(this.#options.format.header);
  }

  add(snapshot: RunSnapshot): void {
    const writer = this.#writer;
    if (!writer) return;
    const { interval } = snapshot;
    try {
      this.#options.format.write(pointsOf(interval, this.#options.tags, this.#options.extraTags), interval, (text) => writer.push(text));
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

/** The registry entry of a file format: `--out NAME=FILE`; a new format is its `FileFormat` and this. */
export function fileOutputModule(name: string, usage: string, format: () => FileFormat): OutputModule {
  return {
    name,
    usage,
    options: {},
    create(argument, options, context) {
      const origin = context.origin ?? `--out ${name}=${argument}`;
      if (argument.trim() === "") throw new ConfigError(`${origin}: ${name} needs a file, like --out ${name}=FILE`, `for example --out ${name}=results.${name}`);
      const common = readCommonOptions(options);
      return new FileOutput({
        name,
        path: resolve(context.cwd, argument),
        format: format(),
        origin,
        flushIntervalMs: common.flushIntervalMs,
        tags: common.tags,
        ...(context.runId !== undefined ? { extraTags: { run_id: context.runId } } : {}),
      });
    },
  };
}
