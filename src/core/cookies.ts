// The per-VU cookie jar (RFC 6265, the parts a load generator needs): host-only vs Domain=
// cookies, Path, Expires / Max-Age expiry, Secure (sent over https only), overwrite by
// name + domain + path. HttpOnly and SameSite do not apply to a non-browser client and are
// ignored; public-suffix checks are not done. One jar per VU: not shared, never concurrent.
import type { CookieJar } from "../protocols/types.ts";

/** Cookies a jar keeps before evicting the oldest. */
const MAX_COOKIES = 1000;

interface Cookie {
  name: string;
  value: string;
  /** Lower-case, without a leading dot. */
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  /** Wall-clock ms; Infinity for a session cookie. */
  expires: number;
  /** Insertion order, for the RFC's "earlier creation first" tie-break. */
  created: number;
}

export class MemoryCookieJar implements CookieJar {
  private cookies: Cookie[] = [];
  private sequence = 0;

  /** `now` returns wall-clock ms (injectable for tests). */
  constructor(private readonly now: () => number = Date.now) {}

  cookieHeader(url: URL): string {
    if (this.cookies.length === 0) return "";
    const host = url.hostname.toLowerCase();
    const path = url.pathname || "/";
    const secure = url.protocol === "https:";
    const now = this.now();
    let matches: Cookie[] | undefined;
    let expired = false;
    for (const cookie of this.cookies) {
      if (cookie.expires <= now) {
        expired = true;
        continue;
      }
      if (cookie.secure && !secure) continue;
      if (cookie.hostOnly ? host !== cookie.domain : !domainMatches(host, cookie.domain)) continue;
      if (!pathMatches(path, cookie.path)) continue;
      (matches ??= []).push(cookie);
    }
    if (expired) this.cookies = this.cookies.filter((c) => c.expires > now);
    if (matches === undefined) return "";
    if (matches.length === 1) return pair(matches[0]!);
    matches.sort((a, b) => b.path.length - a.path.length || a.created - b.created);
    return matches.map(pair).join("; ");
  }

  store(url: URL, setCookieValues: readonly string[]): void {
    for (const header of setCookieValues) {
      const cookie = this.parse(url, header);
      if (cookie === undefined) continue;
      const index = this.cookies.findIndex(
        (c) => c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path,
      );
      if (index >= 0) {
        // Keeps the original creation order, as RFC 6265 §5.3 step 11 says.
        cookie.created = this.cookies[index]!.created;
        if (cookie.expires <= this.now()) this.cookies.splice(index, 1);
        else this.cookies[index] = cookie;
      } else if (cookie.expires > this.now()) {
        if (this.cookies.length >= MAX_COOKIES) this.cookies.shift();
        this.cookies.push(cookie);
      }
    }
  }

  get(name: string): string | undefined {
    const now = this.now();
    let found: Cookie | undefined;
    for (const cookie of this.cookies) {
      if (cookie.name === name && cookie.expires > now && (found === undefined || cookie.created >= found.created)) {
        found = cookie;
      }
    }
    return found?.value;
  }

  clear(): void {
    this.cookies = [];
  }

  /** One Set-Cookie value → a cookie, or undefined when it must be ignored. */
  private parse(url: URL, header: string): Cookie | undefined {
    const parts = header.split(";");
    const first = parts[0]!;
    const eq = first.indexOf("=");
    if (eq < 0) return undefined;
    const name = first.slice(0, eq).trim();
    if (name === "") return undefined;
    let value = first.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    const host = url.hostname.toLowerCase();
    let domain = "";
    let path = "";
    let secure = false;
    let maxAge: number | undefined;
    let expires: number | undefined;
    for (let i = 1; i < parts.length; i++) {
      const attribute = parts[i]!;
      const at = attribute.indexOf("=");
      const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
      const val = at < 0 ? "" : attribute.slice(at + 1).trim();
      switch (key) {
        case "domain":
          domain = val.replace(/^\./, "").toLowerCase();
          break;
        case "path":
          path = val;
          break;
        case "secure":
          secure = true;
          break;
        case "max-age":
          if (/^-?\d+$/.test(val)) maxAge = Number(val);
          break;
        case "expires": {
          const t = Date.parse(val);
          if (!Number.isNaN(t)) expires = t;
          break;
        }
      }
    }
    // A Domain must cover the host that set it (no cookies for other sites); IPs are host-only.
    let hostOnly = true;
    if (domain !== "" && domain !== host) {
      if (!domainMatches(host, domain)) return undefined;
      hostOnly = false;
    } else if (domain === host && domain !== "") {
      hostOnly = isIpLiteral(host);
    }
    if (secure && url.protocol !== "https:") return undefined;
    if (!path.startsWith("/")) path = defaultPath(url.pathname);
    const now = this.now();
    const expiry =
      maxAge !== undefined ? (maxAge <= 0 ? -Infinity : now + maxAge * 1000) : expires !== undefined ? expires : Infinity;
    return {
      name,
      value,
      domain: hostOnly ? host : domain,
      hostOnly,
      path,
      secure,
      expires: expiry,
      created: this.sequence++,
    };
  }
}

function pair(cookie: Cookie): string {
  return `${cookie.name}=${cookie.value}`;
}

function isIpLiteral(host: string): boolean {
  return host.includes(":") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/** RFC 6265 §5.1.3: host equals domain, or ends with "." + domain and is not an IP. */
export function domainMatches(host: string, domain: string): boolean {
  if (host === domain) return true;
  return host.endsWith(domain) && host.charCodeAt(host.length - domain.length - 1) === 46 && !isIpLiteral(host);
}

/** RFC 6265 §5.1.4. */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath.charCodeAt(cookiePath.length) === 47;
}

/** RFC 6265 §5.1.4 default-path: the request path up to (not including) its last "/". */
export function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith("/")) return "/";
  const last = requestPath.lastIndexOf("/");
  return last <= 0 ? "/" : requestPath.slice(0, last);
}
