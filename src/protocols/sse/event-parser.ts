// An incremental parser of the `text/event-stream` format (the WHATWG HTML "server-sent events"
// interpretation): lines end with CRLF, LF or CR; `field: value` lines (one leading space of the
// value dropped); `data` lines joined with "\n"; a blank line dispatches the event (none when it
// has no data); `:` lines are comments; `event` names it (default "message"), `id` sets the last
// event id; `retry` and unknown fields are ignored. Bounded: a line or an event's data past
// `maxBytes` characters is an error (the stream is then malformed), so a peer cannot grow memory.
// Fed decoded text in any chunking; not shared between streams.

export interface SseEvent {
  readonly event: string;
  readonly data: string;
  /** The last event id seen so far ("" when none). */
  readonly id: string;
}

export class SseEventParser {
  private buffer = "";
  private data: string[] = [];
  private dataLength = 0;
  private eventName = "";
  private lastId = "";
  private started = false;
  private afterCR = false;

  constructor(private readonly maxBytes: number) {}

  /** Parses `text`, calling `onEvent` per complete event; a sentence when the stream breaks the bounds. */
  push(text: string, onEvent: (event: SseEvent) => void): string | undefined {
    if (!this.started && text !== "") {
      this.started = true;
      if (text.startsWith("\uFEFF")) text = text.slice(1);
    }
    // A chunk that ended with CR ended a line; an LF starting the next is the rest of that CRLF.
    if (this.afterCR && text.startsWith("\n")) text = text.slice(1);
    this.afterCR = text.endsWith("\r");
    this.buffer += text;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop()!;
    for (const line of lines) {
      const problem = this.line(line, onEvent);
      if (problem) return problem;
    }
    if (this.buffer.length > this.maxBytes) return `a line longer than ${this.maxBytes} characters`;
    return undefined;
  }

  private line(line: string, onEvent: (event: SseEvent) => void): string | undefined {
    if (line === "") {
      if (this.data.length > 0) onEvent({ event: this.eventName || "message", data: this.data.join("\n"), id: this.lastId });
      this.data = [];
      this.dataLength = 0;
      this.eventName = "";
      return undefined;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      this.dataLength += value.length + 1;
      if (this.dataLength > this.maxBytes) return `an event whose data is longer than ${this.maxBytes} characters`;
      this.data.push(value);
    } else if (field === "event") this.eventName = value;
    else if (field === "id" && !value.includes("\0")) this.lastId = value;
    return undefined;
  }
}
