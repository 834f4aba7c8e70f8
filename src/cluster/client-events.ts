// Reading a run's Server-Sent Events (GET /api/runs/:id/events, cluster/http-api.ts) into an
// async iterable of events and the run's result. Used by ControllerClient.follow (client.ts).
// The stream is read once, in the background; the events queue up until iterated.
import { LoadrError } from "../shared/errors.ts";
import type { RunEventView, RunStatus } from "./api-types.ts";

export interface RunResult {
  /** The end-of-run Summary (src/outputs/summary.ts), as the controller built it. */
  summary: unknown;
  exitCode: number;
  status: RunStatus;
  error?: string;
}

export interface SubmittedRun {
  runId: string;
  /** Live events until (and including) `finished`. Iterate once. */
  events: AsyncIterable<RunEventView>;
  result: Promise<RunResult>;
  /** Stops following: the stream is closed, the events end and `result` rejects (if still pending). */
  close(): void;
  /**
   * The hooks module's teardown, when it exports one: run by the submitter after the run ended
   * (cluster/client.ts); resolves with its problem, if it had one.
   */
  teardown?(): Promise<string | undefined>;
}

/**
 * `open` starts the request with the signal `close()` aborts (it throws LoadrError when the
 * controller is unreachable); `runUrl` names the run in errors. `result` rejects when the stream
 * ends or breaks before `finished`.
 */
export function readRunEvents(runId: string, runUrl: string, open: (signal: AbortSignal) => Promise<Response>): SubmittedRun {
  const abort = new AbortController();
  const queue: RunEventView[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let resolveResult!: (r: RunResult) => void;
  let rejectResult!: (e: Error) => void;
  const result = new Promise<RunResult>((res, rej) => {
    resolveResult = res;
    rejectResult = rej;
  });
  result.catch(() => {});
  const push = (event: RunEventView) => {
    queue.push(event);
    wake?.();
  };
  void (async () => {
    try {
      const response = await open(abort.signal);
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      const decoder = new TextDecoder();
      let buffer = "";
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
          if (!data) continue;
          const event = JSON.parse(data) as RunEventView;
          push(event);
          if (event.type === "finished") {
            resolveResult({ summary: event.summary, exitCode: event.exitCode, status: event.status, ...(event.error ? { error: event.error } : {}) });
            return;
          }
        }
      }
      throw new Error("the event stream ended before the run finished");
    } catch (error) {
      const why = error instanceof LoadrError ? error.message : `lost the run's live events from ${runUrl}/events: ${(error as Error).message}`;
      rejectResult(new LoadrError(why, { hint: `the run goes on; see ${runUrl} (or \`loadr control ${runId} status\`)` }));
    } finally {
      ended = true;
      wake?.();
    }
  })();
  const events: AsyncIterable<RunEventView> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length > 0) yield queue.shift()!;
        if (ended) return;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    },
  };
  return { runId, events, result, close: () => abort.abort(new Error("stopped following the run")) };
}
