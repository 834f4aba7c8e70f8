// The text/event-stream parser (src/protocols/sse/event-parser.ts): events in any chunking, every
// line ending, multi-line data, comments, names and ids; bounded lines and data.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { SseEventParser, type SseEvent } from "../../../src/protocols/sse/event-parser.ts";

function parse(chunks: string[], max = 1000): { events: SseEvent[]; problem?: string } {
  const parser = new SseEventParser(max);
  const events: SseEvent[] = [];
  for (const chunk of chunks) {
    const problem = parser.push(chunk, (event) => events.push(event));
    if (problem) return { events, problem };
  }
  return { events };
}

const STREAM = '\uFEFF: hello\n\nevent: tick\nid: 1\ndata: {"n":1}\n\ndata: line one\r\ndata:line two\r\n\r\nevent: empty\n\nretry: 100\nid: 7\nunknown: x\ndata\n\n';
const EXPECTED: SseEvent[] = [
  { event: "tick", data: '{"n":1}', id: "1" },
  { event: "message", data: "line one\nline two", id: "1" },
  { event: "message", data: "", id: "7" },
];

describe("the SSE event parser", () => {
  test("names, ids, multi-line data, CRLF, comments, an event without data is not dispatched", () => {
    expect(parse([STREAM])).toEqual({ events: EXPECTED });
  });

  test("the same events whatever the chunking", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: STREAM.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, i) => STREAM.slice(start, points[i] ?? STREAM.length));
        expect(parse(chunks)).toEqual({ events: EXPECTED });
      }),
    );
  });

  test("a lone CR ends a line, even when the next chunk starts with a field", () => {
    expect(parse(["data: a\r", "\r", "data: b\r\r"]).events.map((e) => e.data)).toEqual(["a", "b"]);
  });

  test("a line or an event's data past the bound is reported, not buffered", () => {
    expect(parse(["data: " + "x".repeat(2000)]).problem).toBe("a line longer than 1000 characters");
    const many = Array.from({ length: 30 }, () => `data: ${"y".repeat(50)}\n`);
    expect(parse(many).problem).toBe("an event whose data is longer than 1000 characters");
  });
});
