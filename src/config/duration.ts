// Durations in plans: "30s", "5m", "1h30m", "100ms", "1.5s", or a plain number meaning milliseconds.
// Pure; used by the schema (format check) and the normalizer (conversion).
import type { Ms } from "./plan.ts";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h|d)/y;

export const DURATION_EXAMPLES = `"100ms", "30s", "5m", "1h30m" or a number of milliseconds`;

/**
 * No duration in a plan may exceed this (a startTime, a stage, a timeout…): a week is more than
 * any load test, and far below where timers stop being exact (setTimeout caps at ~24.8 days).
 */
export const MAX_DURATION_MS = 7 * 86_400_000;

const tooLong = (value: unknown): { error: string } => ({
  error: `duration ${typeof value === "string" ? `"${value}"` : value} is longer than the maximum of 7d (${MAX_DURATION_MS} ms)`,
});

/** Milliseconds, or `{ error }` saying what is wrong. Negative, non-finite and over-long (MAX_DURATION_MS) values are errors. */
export function parseDuration(value: unknown): Ms | { error: string } {
  if (typeof value === "number") {
    if (!(Number.isFinite(value) && value >= 0)) return { error: `duration ${value} must be a non-negative number of milliseconds` };
    return value > MAX_DURATION_MS ? tooLong(value) : value;
  }
  if (typeof value !== "string") return { error: `expected a duration like ${DURATION_EXAMPLES}` };
  const text = value.trim();
  if (text === "0") return 0;
  if (text === "") return { error: `empty duration; write one like ${DURATION_EXAMPLES}` };
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match) {
      const hint = /^\d+(\.\d+)?$/.test(text) ? `; add a unit, e.g. "${text}ms" or "${text}s"` : "";
      return { error: `"${value}" is not a duration (at "${text.slice(start)}"): write one like ${DURATION_EXAMPLES}${hint}` };
    }
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  return total > MAX_DURATION_MS ? tooLong(value) : Math.round(total * 1000) / 1000;
}

/** Formats milliseconds the way a plan would write them ("1m30s", "250ms"); for messages and check names. */
export function formatDuration(ms: Ms): string {
  if (ms < 1000 || ms % 1000 !== 0) return ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
  let s = ms / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}` || "0s";
}
