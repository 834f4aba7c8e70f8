// What every answer of a server hosting the web UI carries, and what it refuses (issue 15,
// "Access"): the controller's HTTP API (cluster/http-api.ts) and `loadr run --dashboard`
// (webui/dashboard-server.ts) both pass each request and response through here.
// - Security headers: a CSP without inline script or style elements (the page loads only its own
//   /assets/ files and talks only to its own origin), no framing, no MIME sniffing, no referrer.
// - No CORS: no Access-Control-* header is ever sent, so another site's script cannot read an
//   answer; and a state-changing request (anything but GET/HEAD) from a browser page of another
//   origin (a cross-site form post, which needs no preflight) is refused with 403. Clients that
//   are not browsers send no `Origin` and are not affected.
// Pure.

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

/** The response with the security headers set (headers it already has are kept). */
export function withSecurityHeaders(response: Response): Response {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Why a state-changing request must be refused as cross-site, or undefined. A browser names the
 * page's origin in `Origin` (and `Sec-Fetch-Site`); it must be this server's own origin, i.e. its
 * host:port must equal the `Host` the request was sent to.
 */
export function crossSiteProblem(request: Request): string | undefined {
  if (SAFE_METHODS.has(request.method)) return undefined;
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return `a ${request.method} from another site (Sec-Fetch-Site: ${site}) is refused`;
  const origin = request.headers.get("origin");
  if (origin === null) return undefined;
  const host = request.headers.get("host") ?? new URL(request.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `a ${request.method} with the Origin ${JSON.stringify(origin.slice(0, 80))} is refused: only this server's own pages may change state`;
  }
  if (origin === "null" || originHost.toLowerCase() !== host.toLowerCase()) {
    return `a ${request.method} from ${origin.slice(0, 80)} is refused: only pages served by ${host} may change state (no cross-origin requests)`;
  }
  return undefined;
}
