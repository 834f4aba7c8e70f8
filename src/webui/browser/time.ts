// Times as the viewer reads them: wall-clock times in the browser's own timezone, a run's start
// also in UTC (so people in different zones agree on it), ages as "3 s ago". Pure.

export function localTime(unixMs: number): string {
  return new Date(unixMs).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

export function utcTime(unixMs: number): string {
  return new Date(unixMs).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

export function age(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s ago`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min ago`;
  return `${Math.round(ms / 3_600_000)} h ago`;
}
