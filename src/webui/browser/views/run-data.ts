// A run's data for its page (views/run.ts): the view (GET /api/runs/:id), the stored series, then
// the event feed live: each progress event appends a point, status and agent events go to the
// event log and refresh the view, the finished event carries the end. Every view that arrives
// goes through laterView (run-view-order.ts), so a late answer never undoes the end.
import { useEffect, useState } from "preact/hooks";
import { getJson, streamEvents } from "../api.ts";
import type { ProgressEvent, RunEvent, RunView, SeriesPoint } from "../types.ts";
import { laterView } from "../../run-view-order.ts";

export interface LogLine {
  atUnixMs: number;
  text: string;
  kind: "status" | "agent";
}

/** Most series points kept in the page (a day at one a second). */
const MAX_POINTS = 86_400;

export function useRun(id: string) {
  const [view, setHeldView] = useState<RunView | null>(null);
  /** Every view that arrives (refetch, control answer) goes through laterView: an end is kept. */
  const setView = (arriving: RunView) => setHeldView((held) => laterView(held, arriving));
  const [points, setPoints] = useState<SeriesPoint[]>([]);
  const [progress, setProgress] = useState<ProgressEvent | null>(null);
  const [log, setLog] = useState<LogLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    let last = -1;
    let finished = false;
    const refresh = () => getJson<RunView>(`/api/runs/${encodeURIComponent(id)}`, abort.signal).then(setView, (e: Error) => !abort.signal.aborted && !finished && setError(e.message));
    void (async () => {
      try {
        const [v, s] = await Promise.all([
          getJson<RunView>(`/api/runs/${encodeURIComponent(id)}`, abort.signal),
          getJson<{ series: SeriesPoint[] }>(`/api/runs/${encodeURIComponent(id)}/series`, abort.signal),
        ]);
        setView(v);
        last = s.series.at(-1)?.elapsedMs ?? -1;
        setPoints(s.series);
      } catch (e) {
        if (!abort.signal.aborted) setError((e as Error).message);
        return;
      }
      streamEvents(`/api/runs/${encodeURIComponent(id)}/events`, abort.signal, (type, data) => {
        const e = data as RunEvent;
        if (e.type === "progress") {
          setProgress(e);
          if (e.elapsedMs > last) {
            last = e.elapsedMs;
            // Each agent's recent rate, under the key the stored series uses for it (docs/api.md).
            const data = { ...e.metrics };
            for (const r of e.agentRates ?? []) data[`agent_reqs{agent:${r.agentId}}`] ??= { rate: r.requestsPerSec };
            setPoints((p) => [...p.slice(-MAX_POINTS + 1), { elapsedMs: e.elapsedMs, data }]);
          }
        } else if (e.type === "status" || e.type === "agent") {
          const text = e.type === "agent" ? `${e.name}: ${e.message}` : e.message;
          setLog((l) => (l.some((x) => x.atUnixMs === e.atUnixMs && x.text === text) ? l : [...l, { atUnixMs: e.atUnixMs, text, kind: e.type }].slice(-500)));
          void refresh();
        } else if (e.type === "finished") {
          setLog((l) => [...l, { atUnixMs: e.atUnixMs, text: `finished: ${e.status} (exit ${e.exitCode})${e.error ? `: ${e.error}` : ""}`, kind: "status" }]);
          // The event has the end already (a dashboard with --dashboard-exit may be gone right after it).
          setHeldView((v) => v && { ...v, status: e.status, exitCode: e.exitCode, endedAtUnixMs: e.atUnixMs, ...(e.summary ? { summary: e.summary } : {}), ...(e.error ? { error: e.error } : {}) });
          finished = true;
          void refresh();
          return "done";
        }
      }, (e) => setError(`the run's event feed dropped (${e.message}); reconnecting`));
    })();
    return () => abort.abort();
  }, [id]);
  return { view, setView, points, progress, log, error };
}
