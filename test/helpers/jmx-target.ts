// The counting target of the JMX converter's tests: a Bun server on 127.0.0.1, port 0, that
// records every request (method, path with query, the `X-VU` header the fixtures send as
// `${__threadNum}` — loadr's `${vu}` — and the body) in arrival order, and answers what the
// fixtures' extractors and assertions expect:
//   POST /login         {"token":"tok-<vu>"} and a session cookie
//   GET  /cursor?c=N    {"next":"N+1"}, or {"next":"end"} from c=2 on
//   GET  /items         {"id":42,"name":"widget","tags":["a","b"]}
//   anything else       {"ok":true,"path":"<path>"}
// `byVu()` groups the sequence per VU/thread, which is what both JMeter and loadr must agree on.

export interface Seen {
  method: string;
  path: string;
  vu: string;
  body: string;
}

export interface CountingTarget {
  readonly url: string;
  readonly port: number;
  readonly seen: Seen[];
  /** "METHOD /path?query" per VU, in order. */
  byVu(): Map<string, string[]>;
  reset(): void;
  stop(): void;
}

/** Requests past this are refused (a runaway loop fails the test instead of filling memory). */
const MAX_RECORDED = 100_000;

export function startCountingTarget(): CountingTarget {
  const seen: Seen[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const path = url.pathname + url.search;
      const vu = request.headers.get("x-vu") ?? "";
      if (seen.length >= MAX_RECORDED) return new Response("too many requests", { status: 429 });
      seen.push({ method: request.method, path, vu, body: await request.text() });
      if (url.pathname === "/login") {
        return Response.json({ token: `tok-${vu}` }, { headers: { "set-cookie": `sid=s-${vu}; Path=/` } });
      }
      if (url.pathname === "/cursor") {
        const c = Number(url.searchParams.get("c") ?? "0");
        return Response.json({ next: c >= 2 ? "end" : String(c + 1) });
      }
      if (url.pathname === "/items") return Response.json({ id: 42, name: "widget", tags: ["a", "b"] });
      return Response.json({ ok: true, path: url.pathname });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port as number,
    seen,
    byVu() {
      const out = new Map<string, string[]>();
      for (const s of seen) {
        const list = out.get(s.vu) ?? [];
        list.push(`${s.method} ${s.path}`);
        out.set(s.vu, list);
      }
      return out;
    },
    reset() {
      seen.length = 0;
    },
    stop() {
      server.stop(true);
    },
  };
}
