// Process state injected into commands, so the CLI runs in-process in tests (k6 `cmd/state`).
export interface Writer {
  write(text: string): void;
  /** True when the stream is an interactive terminal (live progress line instead of log lines). */
  readonly isTTY: boolean;
  /** The terminal's width in characters, when it says (0 or absent otherwise). */
  readonly columns?: number;
}

export interface ProcessIO {
  stdout: Writer;
  stderr: Writer;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Wall clock in ms (Date.now by default). */
  now(): number;
}

function writerOf(stream: NodeJS.WriteStream): Writer {
  return {
    write: (text) => void stream.write(text),
    isTTY: Boolean(stream.isTTY),
    get columns() {
      return stream.columns;
    },
  };
}

export function realIO(): ProcessIO {
  return {
    stdout: writerOf(process.stdout),
    stderr: writerOf(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    now: () => Date.now(),
  };
}

/** An IO that captures output, for tests. */
export function memoryIO(env: Record<string, string | undefined> = {}, cwd = process.cwd()) {
  let out = "";
  let err = "";
  const io: ProcessIO = {
    stdout: { write: (t) => void (out += t), isTTY: false },
    stderr: { write: (t) => void (err += t), isTTY: false },
    env,
    cwd,
    now: () => Date.now(),
  };
  return { io, stdout: () => out, stderr: () => err };
}
