// `--http-debug` for HTTP/1.1: one exchange (a request and its response, each redirect hop its
// own) as text, the way k6 prints it: the request as written on the wire (request line, headers,
// with `full` the body), then the response's status line and headers (with `full` its body).
// Credentials are `[redacted]` unless the user asked for `unsafe`. Pure; called by session.ts
// only when SessionContext.debug is set, so the hot path never formats anything.
import type { ProtocolDebugOptions } from "../types.ts";
import type { Http1Response } from "./response-view.ts";
import type { SerializedRequest } from "./request-writer.ts";

/** Header values that carry credentials. */
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);
/** A body longer than this is cut, saying how much was left out (a terminal is not a file). */
const MAX_BODY_CHARS = 64 * 1024;

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder();

interface ExchangeLabel {
  vu: number;
  /** The request's `name` tag. */
  name: string;
  /** Tags of the request (scenario, group, the user's). */
  scenario?: string;
  group?: string;
}

/** The text of one exchange, ending with a blank line. */
export function formatExchange(label: ExchangeLabel, request: SerializedRequest, hop: Http1Response, debug: ProtocolDebugOptions): string {
  const where = [`vu=${label.vu}`, label.scenario ? `scenario=${label.scenario}` : "", label.group ? `group=${label.group}` : "", `name=${label.name}`];
  const out = [`http-debug ${where.filter(Boolean).join(" ")}`, "Request:"];
  const { head, body } = split(request.data);
  out.push(...headLines(head, debug));
  if (debug.bodies && body !== "") out.push("", clip(body));
  out.push("", "Response:");
  if (hop.status !== 0) {
    out.push(...headLines(hop.headText(), debug));
    if (debug.bodies && hop.body !== "") out.push("", clip(hop.body));
  } else {
    out.push(`(no response: ${hop.error ? `${hop.error.code}: ${hop.error.message}` : "none"})`);
  }
  return `${out.join("\n")}\n\n`;
}

function split(data: string | Uint8Array): { head: string; body: string } {
  // latin1 maps each byte to one character, so an index in the text is one in the bytes.
  const text = typeof data === "string" ? data : latin1.decode(data);
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return { head: text, body: "" };
  const body = typeof data === "string" ? text.slice(end + 4) : utf8.decode(data.subarray(end + 4));
  return { head: text.slice(0, end), body };
}

/** The head's lines (first line as is), credentials redacted unless unsafe. */
function headLines(head: string, debug: ProtocolDebugOptions): string[] {
  return head
    .split("\r\n")
    .filter((line) => line !== "")
    .map((line, i) => {
      if (i === 0 || debug.unsafe) return line;
      const colon = line.indexOf(":");
      return colon > 0 && SECRET_HEADERS.has(line.slice(0, colon).trim().toLowerCase()) ? `${line.slice(0, colon)}: [redacted]` : line;
    });
}

function clip(body: string): string {
  return body.length <= MAX_BODY_CHARS ? body : `${body.slice(0, MAX_BODY_CHARS)}\n… (${body.length - MAX_BODY_CHARS} more characters)`;
}
