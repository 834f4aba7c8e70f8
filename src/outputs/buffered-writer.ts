// Buffering and flushing for outputs, written once (k6 `output/helpers.go`: a sample buffer plus
// a periodic flusher). An output's `add` pushes text here synchronously (never blocks, never
// throws); a timer hands what was buffered to the sink; `close` flushes the rest and closes.
//
// Contract:
// - Single-threaded. Writes reach the sink in push order, one at a time (the next starts after
//   the previous one settled).
// - A failed write is kept: later text is dropped (the output is broken, nothing half-written is
//   appended after a gap) and `close` rejects with the first error, naming the sink.
// - Memory: what is buffered between flushes (a tick's lines), plus at most one write in flight.
import { createWriteStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGzip } from "node:zlib";
import { once } from "node:events";

/** How often buffered text is handed to the sink. */
export const FLUSH_INTERVAL_MS = 1000;
/** Buffered text past this many characters is flushed without waiting for the timer. */
export const FLUSH_AT_CHARS = 1 << 20;

/** Where flushed text goes. */
export interface TextSink {
  /** Names the sink in errors, e.g. the file path. */
  readonly name: string;
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/** A file opened (created or truncated) for writing; rejects when it cannot be opened. */
export async function openFileSink(path: string): Promise<TextSink> {
  const handle = await open(path, "w");
  return {
    name: path,
    write: async (text) => {
      await handle.write(text);
    },
    close: () => handle.close(),
  };
}

/**
 * A gzip-compressed file (created or truncated): what is written is compressed as it goes and
 * `close` ends the gzip stream (its trailer written) and the file. Rejects when it cannot be opened.
 */
export async function openGzipFileSink(path: string): Promise<TextSink> {
  const file = createWriteStream(path, { flags: "w" });
  await Promise.race([once(file, "open"), once(file, "error").then(([error]) => Promise.reject(error as Error))]);
  const gzip = createGzip();
  let failure: Error | undefined;
  const fail = (error: Error) => (failure ??= error);
  file.on("error", fail);
  gzip.on("error", fail);
  gzip.pipe(file);
  return {
    name: path,
    write: async (text) => {
      if (failure) throw failure;
      if (!gzip.write(text)) await once(gzip, "drain");
      if (failure) throw failure;
    },
    close: async () => {
      const finished = once(file, "close");
      gzip.end();
      await finished;
      if (failure) throw failure;
    },
  };
}

/** The file at `path`, gzip-compressed when its name ends in `.gz`. */
export function openOutputFile(path: string): Promise<TextSink> {
  return path.toLowerCase().endsWith(".gz") ? openGzipFileSink(path) : openFileSink(path);
}

export class BufferedWriter {
  readonly #sink: TextSink;
  readonly #timer: ReturnType<typeof setInterval>;
  #buffer: string[] = [];
  #chars = 0;
  #writing: Promise<void> = Promise.resolve();
  #error: Error | undefined;
  #closed: Promise<void> | undefined;

  constructor(sink: TextSink, flushIntervalMs: number = FLUSH_INTERVAL_MS) {
    this.#sink = sink;
    this.#timer = setInterval(() => this.flush(), flushIntervalMs);
    this.#timer.unref?.();
  }

  /** Buffers `text`. Never blocks, never throws; dropped after a failed write or `close`. */
  push(text: string): void {
    if (this.#error || this.#closed) return;
    this.#buffer.push(text);
    this.#chars += text.length;
    if (this.#chars >= FLUSH_AT_CHARS) this.flush();
  }

  /** Hands what is buffered to the sink (asynchronously, after any write in flight). */
  flush(): void {
    if (this.#buffer.length === 0 || this.#error) return;
    const text = this.#buffer.join("");
    this.#buffer = [];
    this.#chars = 0;
    this.#writing = this.#writing.then(async () => {
      if (this.#error) return;
      try {
        await this.#sink.write(text);
      } catch (error) {
        this.#error = new Error(`writing ${this.#sink.name} failed: ${(error as Error).message}`);
      }
    });
  }

  /** Flushes the rest, waits for it, closes the sink; rejects with the first write error. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      clearInterval(this.#timer);
      this.flush();
      await this.#writing;
      await this.#sink.close();
      if (this.#error) throw this.#error;
    })();
    return this.#closed;
  }
}
