// Where a request goes: the parsed URL plus everything the connection and the request line need.
// Parsing a URL costs microseconds, so a session keeps the targets of the URLs it saw (a VU
// tends to hit the same few URLs); `TargetCache` is per session, used by one VU at a time.
import { isIP } from "node:net";
import { ERR_INVALID_REQUEST, requestError, type RequestError } from "./errors.ts";

export interface Target {
  url: URL;
  secure: boolean;
  /** Host name or IP to connect to (IPv6 without brackets). */
  hostname: string;
  port: number;
  isIp: boolean;
  /** The `Host` header value: host, plus the port when it is not the scheme's default. */
  hostHeader: string;
  /** Request target: path and query, never the fragment. */
  path: string;
  /** `host:port`, for messages. */
  hostPort: string;
  /** Pool key: scheme, host and port. */
  origin: string;
}

/** Distinct URLs remembered per session before the cache starts over. */
const MAX_CACHED_TARGETS = 256;

export function parseTarget(href: string): Target | RequestError {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return requestError(ERR_INVALID_REQUEST, `the URL ${JSON.stringify(href)} is not a valid absolute URL`);
  }
  const secure = url.protocol === "https:";
  if (!secure && url.protocol !== "http:") {
    return requestError(ERR_INVALID_REQUEST, `the URL ${href} has scheme ${url.protocol} but HTTP/1.1 needs http: or https:`);
  }
  let hostname = url.hostname;
  if (hostname.startsWith("[") && hostname.endsWith("]")) hostname = hostname.slice(1, -1);
  if (hostname === "") return requestError(ERR_INVALID_REQUEST, `the URL ${href} has no host`);
  const port = url.port === "" ? (secure ? 443 : 80) : Number(url.port);
  const hostPort = `${url.hostname}:${port}`;
  return {
    url,
    secure,
    hostname,
    port,
    isIp: isIP(hostname) !== 0,
    hostHeader: url.host,
    path: (url.pathname || "/") + url.search,
    hostPort,
    origin: `${secure ? "https" : "http"}://${hostPort}`,
  };
}

export class TargetCache {
  private readonly targets = new Map<string, Target>();
  /** The last URL asked for and its target: a VU mostly repeats the same request. */
  private lastHref = "";
  private lastTarget: Target | undefined;

  get(href: string): Target | RequestError {
    if (href === this.lastHref && this.lastTarget !== undefined) return this.lastTarget;
    let target = this.targets.get(href);
    if (target === undefined) {
      const parsed = parseTarget(href);
      if ("code" in parsed) return parsed;
      if (this.targets.size >= MAX_CACHED_TARGETS) this.targets.clear();
      this.targets.set(href, parsed);
      target = parsed;
    }
    this.lastHref = href;
    this.lastTarget = target;
    return target;
  }
}
