// Where a character of a YAML string scalar's value is in the plan file: a template's problems
// point at the offending character, not only at the string (config/normalize/context.ts).
import type { SourceLoc } from "./plan.ts";

let cachedText: string | undefined;
let cachedLineStarts: number[] = [];

function lineStarts(text: string): number[] {
  if (text !== cachedText) {
    cachedLineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") cachedLineStarts.push(i + 1);
    cachedText = text;
  }
  return cachedLineStarts;
}

/**
 * The location of character `offset` (0-based) of the value of the scalar that starts at `start`
 * (its first character: the quote of a quoted scalar) in `text`. Exact for plain, single-quoted
 * (`''`) and double-quoted (backslash escapes) scalars up to the first line break in the value;
 * for a block scalar (`|`, `>`), or past a line break (folding), the scalar's start.
 */
export function scalarOffsetLoc(text: string, start: SourceLoc, offset: number): SourceLoc {
  const lineStart = lineStarts(text)[start.line - 1];
  if (lineStart === undefined) return start;
  const first = lineStart + start.column - 1;
  const quote = text[first] === '"' || text[first] === "'" ? text[first] : undefined;
  if (text[first] === "|" || text[first] === ">") return start;
  let p = first + (quote ? 1 : 0);
  for (let k = 0; k < offset; k++) {
    const ch = text[p];
    if (ch === undefined || ch === "\n" || ch === "\r") return start;
    if (quote === "'" && ch === "'" && text[p + 1] === "'") p += 2;
    else if (quote === '"' && ch === "\\") {
      const next = text[p + 1];
      p += next === "x" ? 4 : next === "u" ? 6 : next === "U" ? 10 : 2;
    } else p++;
  }
  return { file: start.file, line: start.line, column: start.column + (p - first) };
}
