// The options every output takes (declared once in config/schema/outputs.ts, validated by the plan
// loader), read into what an output uses: the flush interval, extra HTTP headers, and which tags
// its points keep. Pure.
import { FLUSH_INTERVAL_MS } from "./buffered-writer.ts";
import { isRecord } from "../config/normalize/context.ts";

export interface TagFilter {
  /** Only these tag names (absent: all). */
  keep?: readonly string[];
  /** Never these tag names. */
  drop?: readonly string[];
}

export interface CommonOptions {
  flushIntervalMs: number;
  headers: Record<string, string>;
  tags: TagFilter;
}

export function readCommonOptions(options: Readonly<Record<string, unknown>>, defaultFlushMs = FLUSH_INTERVAL_MS): CommonOptions {
  const flush = options.flushInterval;
  const headers = isRecord(options.headers) ? Object.fromEntries(Object.entries(options.headers).map(([k, v]) => [k, String(v)])) : {};
  const tags = isRecord(options.tags) ? options.tags : {};
  const names = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);
  const keep = names(tags.keep);
  const drop = names(tags.drop);
  return {
    flushIntervalMs: typeof flush === "number" && flush > 0 ? flush : defaultFlushMs,
    headers,
    tags: { ...(keep ? { keep } : {}), ...(drop ? { drop } : {}) },
  };
}
