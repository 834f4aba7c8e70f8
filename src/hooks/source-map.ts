// Positions in the hooks bundle mapped back to the user's files, from the bundle's own source map
// (version 3, Base64 VLQ "mappings"; only what error positions need). Decoded once per load into
// per-line segment lists; `original` is a binary search. Pure.

export interface OriginalPosition {
  /** The source as the map names it (a path relative to the plan's directory). */
  source: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

interface RawMap {
  sources?: unknown;
  mappings?: unknown;
}

/** One segment: generated column, source index, original line, original column (all 0-based). */
type Segment = readonly [number, number, number, number];

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

export class SourceMap {
  readonly #sources: string[];
  readonly #lines: Segment[][];

  constructor(raw: RawMap) {
    this.#sources = Array.isArray(raw.sources) ? raw.sources.map(String) : [];
    this.#lines = decodeMappings(typeof raw.mappings === "string" ? raw.mappings : "");
  }

  /** Where generated `line`:`column` (1-based) came from: the last segment at or before it on its line. */
  original(line: number, column: number): OriginalPosition | undefined {
    const segments = this.#lines[line - 1];
    if (!segments || segments.length === 0) return undefined;
    let lo = 0;
    let hi = segments.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segments[mid]![0] <= column - 1) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const [, source, origLine, origColumn] = segments[found]!;
    const name = this.#sources[source];
    return name === undefined ? undefined : { source: name, line: origLine + 1, column: origColumn + 1 };
  }
}

function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let source = 0;
  let origLine = 0;
  let origColumn = 0;
  for (const lineText of mappings.split(";")) {
    const segments: Segment[] = [];
    let column = 0;
    for (const text of lineText.split(",")) {
      if (text === "") continue;
      const fields = decodeVlq(text);
      if (fields.length < 4) {
        if (fields.length >= 1) column += fields[0]!;
        continue;
      }
      column += fields[0]!;
      source += fields[1]!;
      origLine += fields[2]!;
      origColumn += fields[3]!;
      segments.push([column, source, origLine, origColumn]);
    }
    lines.push(segments);
  }
  return lines;
}

function decodeVlq(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = DIGIT.get(char);
    if (digit === undefined) return out;
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}
