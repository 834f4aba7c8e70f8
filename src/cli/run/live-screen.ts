// Where the live view goes: stderr (stdout carries only the summary). On a terminal the block of
// lines (outputs/progress.ts) is rewritten in place each time it is drawn; off a terminal it is
// written as log lines at the first drawing, then every PLAIN_EVERY_MS of run time, and at the
// end, whatever the run's length. Messages for the user go above the block on their own lines.
//
// Contract: single-threaded; called by the local live view (live-view.ts, once a second from the
// run loop) or the remote one (remote-view.ts, per progress event). Never blocks: one write per call.
import type { ProcessIO } from "../io.ts";
import { formatLiveLines, formatLiveLog, type LiveFrame } from "../../outputs/progress.ts";

/** Off a terminal, at most one drawing per this much run time (besides the first and the last). */
export const PLAIN_EVERY_MS = 5000;
/** The width assumed when the terminal does not say (a pseudo-terminal without a size). */
const DEFAULT_COLUMNS = 80;

export class LiveScreen {
  /** Lines of the block on screen now (terminal), under the cursor's line. */
  #drawn = 0;
  #last: LiveFrame | undefined;
  #lastPlainMs: number | undefined;

  constructor(
    private readonly io: ProcessIO,
    private readonly quiet: boolean,
  ) {}

  /** A sentence for the user, on its own line above the live block (shown even when quiet: callers decide). */
  message(text: string): void {
    const redraw = this.#drawn > 0 ? this.#last : undefined;
    this.io.stderr.write(`${this.#erase()}loadr: ${text}\n`);
    if (redraw) this.#drawTerminal(redraw);
  }

  /** Shows `frame`; `final` for the run's last one (always written off a terminal). */
  draw(frame: LiveFrame, final = false): void {
    if (this.quiet) return;
    this.#last = frame;
    if (this.io.stderr.isTTY) {
      this.#drawTerminal(frame);
      return;
    }
    const due = this.#lastPlainMs === undefined || frame.elapsedMs - this.#lastPlainMs >= PLAIN_EVERY_MS;
    if (!due && !final) return;
    this.#lastPlainMs = frame.elapsedMs;
    this.io.stderr.write(formatLiveLog(frame).map((line) => `loadr: ${line}\n`).join(""));
  }

  #drawTerminal(frame: LiveFrame): void {
    const columns = this.io.stderr.columns || DEFAULT_COLUMNS;
    const lines = formatLiveLines(frame, columns);
    // Back to the block's first line, each line cleared and rewritten, anything below cleared.
    this.io.stderr.write(`${this.#erase()}${lines.map((line) => `${line}\n`).join("")}`);
    this.#drawn = lines.length;
  }

  /** The escape sequence that removes the block from the screen (cursor left at its first line). */
  #erase(): string {
    if (this.#drawn === 0) return "";
    const up = `\x1b[${this.#drawn}A\r\x1b[J`;
    this.#drawn = 0;
    return up;
  }
}
