// The conversion report (issue 16 part 4): what mapped, what became a hook and what was dropped,
// each with its source position. One text for both places it appears — the comment block at the
// top of the generated plan and the lines the CLI prints — so the two never disagree. Pure.
import type { ConversionNote } from "./types.ts";

const SECTIONS: ReadonlyArray<readonly [ConversionNote["kind"], string]> = [
  ["mapped", "Mapped"],
  ["hook", "Into hooks"],
  ["dropped", "Dropped"],
];

/** The report as lines (no trailing newline, no comment marks), in the notes' own order per section. */
export function reportLines(notes: readonly ConversionNote[], heading: string): string[] {
  const lines = [heading];
  for (const [kind, title] of SECTIONS) {
    const of = notes.filter((n) => n.kind === kind);
    lines.push(`${title} (${of.length})${of.length > 0 ? ":" : ""}`);
    for (const note of of) lines.push(`  ${note.where}  ${note.what}${note.detail ? ` — ${note.detail}` : ""}`);
  }
  return lines;
}

/** Counts by kind, for the one-line verdict. */
export function tally(notes: readonly ConversionNote[]): Record<ConversionNote["kind"], number> {
  const counts = { mapped: 0, hook: 0, dropped: 0 };
  for (const note of notes) counts[note.kind]++;
  return counts;
}
