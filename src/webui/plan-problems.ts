// The controller's words for an invalid plan (a ConfigError: a heading, then one problem a line,
// each starting with FILE:LINE:COL, config/issues.ts `formatIssues`) as positions the editor can
// jump to. Pure and
// DOM-free (the browser code imports it; tests run it under Bun).

export interface Problem {
  line?: number;
  column?: number;
  text: string;
}

export function problemsOf(message: string): Problem[] {
  const lines = message.split("\n").map((l) => l.trim()).filter(Boolean);
  const out: Problem[] = [];
  for (const l of lines) {
    const m = /^(?:[^\s:]*?):(\d+):(\d+):?\s*(.*)$/.exec(l);
    if (m) out.push({ line: Number(m[1]), column: Number(m[2]), text: m[3] || l });
    else out.push({ text: l });
  }
  return out;
}

/** The character offset of LINE:COL (1-based) in `text`, clamped to it. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}
