// A recording proxy for converted plans: every request it gets is recorded as method + path (with
// the query) under the VU, iteration and scenario the plan's default headers name
// (RECORD_HEADERS), then forwarded to the target (e.g. `loadr demo`) and its answer passed back,
// redirects and cookies included. So a test can check the request sequence per VU and iteration
// that a converted plan sends, which the demo's `/_stats` totals cannot show. Port 0, 127.0.0.1.
export const RECORD_HEADERS = { "x-rec-vu": "${vu}", "x-rec-iteration": "${iteration}", "x-rec-scenario": "${scenario}" } as const;

export interface RecordedRequest {
  readonly scenario: string;
  readonly vu: string;
  readonly iteration: string;
  readonly method: string;
  readonly path: string;
}

export interface RecordingProxy {
  readonly url: string;
  readonly seen: RecordedRequest[];
  /** "METHOD /path" sequences by "scenario vu iteration" ("" parts for requests without the headers, e.g. setup). */
  sequences(): Map<string, string[]>;
  stop(): Promise<void>;
}

export function recordingProxy(target: string): RecordingProxy {
  const seen: RecordedRequest[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      const path = `${url.pathname}${url.search}`;
      seen.push({
        scenario: request.headers.get("x-rec-scenario") ?? "",
        vu: request.headers.get("x-rec-vu") ?? "",
        iteration: request.headers.get("x-rec-iteration") ?? "",
        method: request.method,
        path,
      });
      const headers = new Headers(request.headers);
      headers.delete("host");
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
      const answer = await fetch(`${target}${path}`, { method: request.method, headers, body, redirect: "manual" });
      const back = new Headers(answer.headers);
      for (const h of ["content-encoding", "content-length", "transfer-encoding", "connection"]) back.delete(h);
      return new Response(request.method === "HEAD" ? null : await answer.arrayBuffer(), { status: answer.status, headers: back });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    seen,
    sequences() {
      const out = new Map<string, string[]>();
      for (const r of seen) {
        const key = `${r.scenario} ${r.vu} ${r.iteration}`;
        const list = out.get(key) ?? [];
        list.push(`${r.method} ${r.path}`);
        out.set(key, list);
      }
      return out;
    },
    stop: () => server.stop(true),
  };
}
