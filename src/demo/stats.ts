// Request counting for the demo target's `/_stats`: every request or message the demo serves is
// counted on arrival (404s included) under its path and its protocol, except `/_stats` and
// `/_stats/reset` themselves. `total` is the sum over every protocol; `byPath` counts HTTP paths
// and whatever path-like label another protocol counts under (a gRPC method, a listener name);
// `byProtocol` counts by protocol (`http` for the HTTP server's own requests, WebSocket upgrades
// included). Single-threaded (Bun.serve and the listeners share the event loop).

/** Distinct paths tracked by name; the rest are summed under OTHER_PATHS. */
const MAX_PATHS = 1000;
export const OTHER_PATHS = "(other)";

/** The protocol of the HTTP server's own requests. */
export const HTTP = "http";

export interface StatsSnapshot {
  total: number;
  byPath: Record<string, number>;
  byProtocol: Record<string, number>;
}

export class RequestStats {
  private total = 0;
  private byPath = new Map<string, number>();
  /** Keys come from code (the HTTP server, the registered listeners and routes), never from a request. */
  private byProtocol = new Map<string, number>();

  count(path: string, protocol = HTTP): void {
    this.total++;
    this.byProtocol.set(protocol, (this.byProtocol.get(protocol) ?? 0) + 1);
    const known = this.byPath.get(path);
    if (known !== undefined) this.byPath.set(path, known + 1);
    else if (this.byPath.size < MAX_PATHS) this.byPath.set(path, 1);
    else this.byPath.set(OTHER_PATHS, (this.byPath.get(OTHER_PATHS) ?? 0) + 1);
  }

  reset(): void {
    this.total = 0;
    this.byPath.clear();
    this.byProtocol.clear();
  }

  snapshot(): StatsSnapshot {
    return { total: this.total, byPath: Object.fromEntries(this.byPath), byProtocol: Object.fromEntries(this.byProtocol) };
  }
}
