// The controller's log of refused input (rejected messages and batches per agent, refused
// connections per address), throttled so that a flood of bad input cannot flood the log: per
// source, the first FIRST_LINES refusals in full, then at most one line per WINDOW_MS saying how
// many more there were and the last reason. Single-threaded; `note` never blocks.

const FIRST_LINES = 5;
const WINDOW_MS = 10_000;
/** Sources remembered at most; quiet ones are forgotten first. */
const MAX_SOURCES = 1_000;
/** A reason may quote what was sent: cut it. */
const MAX_LINE_LENGTH = 500;

interface SourceState {
  logged: number;
  suppressed: number;
  windowStart: number;
  last: string;
}

/** "10.0.0.5:4711" → "10.0.0.5", "[::1]:4711" → "[::1]": refusals from one host share a throttle. */
export function hostOf(peer: string): string {
  return peer.replace(/:\d+$/, "");
}

export class RejectionLog {
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  readonly #sources = new Map<string, SourceState>();

  constructor(log: (line: string) => void, now: () => number = Date.now) {
    this.#log = log;
    this.#now = now;
  }

  /** `source` names who sent it ("agent edge-1 (id)", "a connection from 10.0.0.5:4711"); `line` says what and why. */
  note(source: string, text: string): void {
    const now = this.#now();
    const line = text.length > MAX_LINE_LENGTH ? `${text.slice(0, MAX_LINE_LENGTH)}…` : text;
    let s = this.#sources.get(source);
    if (s === undefined) {
      if (this.#sources.size >= MAX_SOURCES) this.#forgetQuiet(now);
      s = { logged: 0, suppressed: 0, windowStart: now, last: "" };
      this.#sources.set(source, s);
    }
    if (s.logged < FIRST_LINES) {
      s.logged++;
      s.windowStart = now;
      this.#log(`${source}: ${line}`);
      return;
    }
    s.suppressed++;
    s.last = line;
    if (now - s.windowStart >= WINDOW_MS) {
      this.#log(`${source}: ${s.suppressed} more refused in the last ${Math.round((now - s.windowStart) / 1000)}s; the last: ${s.last}`);
      s.suppressed = 0;
      s.windowStart = now;
    }
  }

  #forgetQuiet(now: number): void {
    for (const [source, s] of this.#sources) if (now - s.windowStart >= WINDOW_MS) this.#sources.delete(source);
    if (this.#sources.size >= MAX_SOURCES) this.#sources.clear();
  }
}
