// The parts of a HAR 1.2 file (http://www.softwareishard.com/blog/har-12-spec/) the converter
// reads, checked: `log.entries[]` with `request.method`/`url`/`headers`/`postData`,
// `startedDateTime`, `time`, `pageref`, `response.status`, and `log.pages[]` titles. A file
// without `log.entries` is not a HAR (ConvertInputError); an entry missing its method or URL is
// skipped by the caller with a note. Sizes are bounded by the CLI's input limit.
import { ConvertInputError } from "../types.ts";

export interface HarHeader {
  readonly name: string;
  readonly value: string;
}

export interface HarEntry {
  /** `recording.har log.entries[3]` */
  readonly where: string;
  readonly method: string;
  readonly url: string;
  readonly headers: readonly HarHeader[];
  readonly postData?: { readonly mimeType?: string; readonly text?: string; readonly params?: ReadonlyArray<{ name: string; value?: string; fileName?: string }> };
  /** ms since the epoch, when recorded. */
  readonly startedMs?: number;
  /** The entry's total time in ms (0 when not recorded). */
  readonly timeMs: number;
  readonly page?: string;
  readonly status?: number;
  readonly redirectTo?: string;
}

export interface Har {
  readonly entries: HarEntry[];
  readonly pageTitles: Map<string, string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export function readHar(json: unknown, fileName: string): Har {
  const log = isRecord(json) ? json.log : undefined;
  if (!isRecord(log) || !Array.isArray(log.entries)) {
    throw new ConvertInputError("not a HAR file: it has no log.entries list (export one from the browser's network panel: \"Save all as HAR\")", fileName, 1, 1);
  }
  const pageTitles = new Map<string, string>();
  if (Array.isArray(log.pages)) {
    for (const page of log.pages) {
      if (isRecord(page) && typeof page.id === "string") pageTitles.set(page.id, str(page.title)?.trim() || page.id);
    }
  }
  const entries: HarEntry[] = [];
  log.entries.forEach((raw: unknown, i: number) => {
    const where = `${fileName} log.entries[${i}]`;
    const request = isRecord(raw) ? raw.request : undefined;
    if (!isRecord(raw) || !isRecord(request) || typeof request.method !== "string" || typeof request.url !== "string") {
      entries.push({ where, method: "?", url: "", headers: [], timeMs: 0 });
      return;
    }
    const headers = Array.isArray(request.headers)
      ? request.headers.filter((h): h is HarHeader => isRecord(h) && typeof h.name === "string" && typeof h.value === "string")
      : [];
    const started = typeof raw.startedDateTime === "string" ? Date.parse(raw.startedDateTime) : NaN;
    const response = isRecord(raw.response) ? raw.response : {};
    const post = isRecord(request.postData) ? request.postData : undefined;
    entries.push({
      where,
      method: request.method.toUpperCase(),
      url: request.url,
      headers,
      ...(post
        ? {
            postData: {
              ...(str(post.mimeType) !== undefined ? { mimeType: str(post.mimeType) } : {}),
              ...(str(post.text) !== undefined ? { text: str(post.text) } : {}),
              ...(Array.isArray(post.params) ? { params: post.params.filter((p): p is { name: string; value?: string; fileName?: string } => isRecord(p) && typeof p.name === "string") } : {}),
            },
          }
        : {}),
      ...(Number.isFinite(started) ? { startedMs: started } : {}),
      timeMs: typeof raw.time === "number" && raw.time > 0 ? raw.time : 0,
      ...(typeof raw.pageref === "string" ? { page: raw.pageref } : {}),
      ...(typeof response.status === "number" ? { status: response.status } : {}),
      ...(typeof response.redirectURL === "string" && response.redirectURL !== "" ? { redirectTo: response.redirectURL } : {}),
    });
  });
  return { entries, pageTitles };
}
