// The latency-truth target, run as its own process: `bun delay-server.ts PORT DELAY_MS`.
// Every request (except the control paths) is answered DELAY_MS after it arrived. Control:
//   GET /_count        {"count": n, "holdP50": ms, "holdP99": ms, "holdMax": ms, "stalled": n}
//                      count = requests served since the last /_reset; hold* = measured
//                      arrival→response times, so timer slack is visible next to the nominal delay.
//   GET /_reset        zero the counters, disarm the stall.
//   GET /_arm?after=A&for=F   stall once: F ms, starting A ms after the next counted request.
//                      During the stall nothing is answered; answers due inside it go out at its end.
// Answers are "ok" (2 bytes). Control requests are never counted. Listens on 127.0.0.1 only.

const port = Number(process.argv[2] ?? 0);
const delayMs = Number(process.argv[3] ?? 10);

let count = 0;
let stalled = 0;
let holds: number[] = [];
let armed: { after: number; for: number } | null = null;
let stallStart = Number.POSITIVE_INFINITY;
let stallEnd = Number.NEGATIVE_INFINITY;

function pct(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const json = (value: unknown): Response => new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } });

const server = Bun.serve({
  hostname: "127.0.0.1",
  port,
  idleTimeout: 120,
  fetch(req) {
    const arrived = performance.now();
    const url = new URL(req.url);
    switch (url.pathname) {
      case "/_count": {
        const sorted = [...holds].sort((a, b) => a - b);
        return json({ count, stalled, holdP50: pct(sorted, 50), holdP99: pct(sorted, 99), holdMax: pct(sorted, 100) });
      }
      case "/_reset":
        count = 0;
        stalled = 0;
        holds = [];
        armed = null;
        stallStart = Number.POSITIVE_INFINITY;
        stallEnd = Number.NEGATIVE_INFINITY;
        return json({ ok: true });
      case "/_arm":
        armed = { after: Number(url.searchParams.get("after") ?? 0), for: Number(url.searchParams.get("for") ?? 1000) };
        return json({ ok: true, armed });
    }
    count++;
    if (armed) {
      stallStart = arrived + armed.after;
      stallEnd = stallStart + armed.for;
      armed = null;
    }
    let due = arrived + delayMs;
    if (due >= stallStart && due < stallEnd) {
      due = stallEnd;
      stalled++;
    } else if (arrived >= stallStart && arrived < stallEnd) {
      due = Math.max(due, stallEnd);
      stalled++;
    }
    return new Promise<Response>((resolve) => {
      setTimeout(() => {
        holds.push(performance.now() - arrived);
        resolve(new Response("ok", { headers: { "content-type": "text/plain" } }));
      }, due - arrived);
    });
  },
});

process.stdout.write(`delay-server listening on http://127.0.0.1:${server.port} delay=${delayMs}ms\n`);
