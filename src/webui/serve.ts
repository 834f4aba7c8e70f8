// Serving the web UI's single page and its two assets, the same way from the controller
// (cluster/http-api.ts) and from `loadr run --dashboard` (webui/dashboard-server.ts):
//   GET /  (and any path that is not /api/…, /assets/…, /healthz, /metrics: the page routes by
//          its #fragment)         the HTML shell; no data in it, so it needs no token
//   GET /assets/app.js, /assets/app.css   the bundle (webui/embedded.ts: src/webui/browser/ built by the ui-kit), gzip when accepted
// Each answer has an ETag; the security headers are added by the host (webui/http-guard.ts).
// The bundle is loaded once, on the first request.
import { createHash } from "node:crypto";

const SHELL = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>loadr</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body><div id="app"><header class="top"><span class="brand">loadr</span></header><main><p class="muted">loading…</p><noscript>The loadr web UI needs JavaScript.</noscript></main></div></body>
</html>
`;

interface Asset {
  type: string;
  body: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
  etag: string;
}

let assets: Promise<Map<string, Asset>> | undefined;

function asset(type: string, text: string): Asset {
  const body = new TextEncoder().encode(text);
  return { type, body, gzip: Bun.gzipSync(body), etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"` };
}

/** The page and its assets by path, built once. */
export function webuiAssets(): Promise<Map<string, Asset>> {
  assets ??= import("./embedded.ts").then(({ BUNDLE }) => new Map([
    ["/", asset("text/html; charset=utf-8", SHELL)],
    ["/assets/app.js", asset("text/javascript; charset=utf-8", BUNDLE.js)],
    ["/assets/app.css", asset("text/css; charset=utf-8", BUNDLE.css)],
  ]));
  return assets;
}

/** Paths the page answers: its shell at /, its assets; never an API path. */
export function isWebuiPath(path: string): boolean {
  return path === "/" || path === "/index.html" || path.startsWith("/assets/");
}

/** The answer for a web UI path (GET/HEAD), or undefined when `path` is not one. */
export async function serveWebui(request: Request, path: string): Promise<Response | undefined> {
  if (!isWebuiPath(path) || (request.method !== "GET" && request.method !== "HEAD")) return undefined;
  const found = (await webuiAssets()).get(path === "/index.html" ? "/" : path);
  if (!found) return new Response(`no asset ${path}`, { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  const headers: Record<string, string> = { "content-type": found.type, etag: found.etag, "cache-control": "no-cache", vary: "accept-encoding" };
  if (request.headers.get("if-none-match") === found.etag) return new Response(null, { status: 304, headers });
  const gzip = /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "");
  if (gzip) headers["content-encoding"] = "gzip";
  const body = gzip ? found.gzip : found.body;
  return new Response(request.method === "HEAD" ? null : (body as Uint8Array<ArrayBuffer>), { headers });
}

/** Bytes of the bundle as served with gzip (the budget: at most 150 KB). */
export async function bundleSizes(): Promise<{ js: number; css: number; jsGzip: number; cssGzip: number }> {
  const a = await webuiAssets();
  const js = a.get("/assets/app.js")!;
  const css = a.get("/assets/app.css")!;
  return { js: js.body.length, css: css.body.length, jsGzip: js.gzip.length, cssGzip: css.gzip.length };
}
