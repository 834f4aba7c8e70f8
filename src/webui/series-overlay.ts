// The compare page's overlay: two runs' per-second series on one x axis of whole seconds since
// each run's start, in the chart's column form ([x, a, b], null where a run has no point). Pure
// and DOM-free.

type Metrics = Record<string, Record<string, number>>;
type Point = { elapsedMs: number; data: Metrics };

/** Both runs' series on one x axis of whole seconds; a second one run lacks is a gap. */
export function overlay(a: Point[], b: Point[], pick: (d: Metrics) => number | undefined): [number[], (number | null)[], (number | null)[]] {
  const second = (p: Point) => Math.round(p.elapsedMs / 1000);
  const byA = new Map(a.map((p) => [second(p), pick(p.data)]));
  const byB = new Map(b.map((p) => [second(p), pick(p.data)]));
  const xs = [...new Set([...byA.keys(), ...byB.keys()])].sort((x, y) => x - y);
  return [xs, xs.map((x) => byA.get(x) ?? null), xs.map((x) => byB.get(x) ?? null)];
}
