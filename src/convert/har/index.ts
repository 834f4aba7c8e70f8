// `loadr convert har recording.har`: a browser's HTTP Archive (devtools "Save all as HAR") → a
// plan that replays it: one request step per entry, in the recorded order; one `group` per page
// (consecutive entries of one `pageref`, named by the page's title); a `sleep` for each recorded
// gap of at least MIN_THINK_MS between one request's end and the next one's start (`--no-sleep`
// leaves them out); `--only-host HOST` (repeatable) keeps the entries of those hosts; `--exclude
// REGEX` (repeatable) leaves out the entries whose URL matches. Cookie headers are left out: the
// VU's cookie jar sends what the responses set. A recorded redirect gets `maxRedirects: 0`, since
// the recording holds the follow-up request as its own entry. Each request checks the recorded
// status. The most used origin becomes `baseUrl: ${env.BASE_URL:-origin}`.
import { ConfigError } from "../../shared/errors.ts";
import { ConvertInputError, type Conversion, type ConversionNote, type Converter } from "../types.ts";
import { jsonErrorPosition } from "../json-position.ts";
import { readHar, type HarEntry } from "./har-file.ts";
import { requestOf } from "./request.ts";

/** Shorter gaps are the browser's own scheduling, not a person thinking. */
export const MIN_THINK_MS = 100;
/** Longest --exclude pattern accepted (a pattern runs against every URL). */
const MAX_PATTERN_LENGTH = 1000;

export const harConverter: Converter = {
  name: "har",
  usage: "loadr convert har recording.har [--no-sleep] [--only-host HOST] [--exclude REGEX]",
  options: [
    { name: "no-sleep", type: "boolean", description: "No think times from the recorded gaps" },
    { name: "only-host", type: "strings", description: "Keep only requests to this host (repeatable)" },
    { name: "exclude", type: "strings", description: "Leave out requests whose URL matches this regular expression (repeatable), e.g. '\\.(png|css|js)$'" },
  ],
  convert({ source, fileName, options }): Conversion {
    let json: unknown;
    try {
      json = JSON.parse(source);
    } catch {
      const at = jsonErrorPosition(source);
      throw new ConvertInputError(`not JSON: ${at.message}`, fileName, at.line, at.column);
    }
    const har = readHar(json, fileName);
    const notes: ConversionNote[] = [];
    const onlyHosts = ((options["only-host"] as readonly string[] | undefined) ?? []).map((h) => h.toLowerCase());
    const excludes = ((options.exclude as readonly string[] | undefined) ?? []).map((p) => compilePattern(p));
    const noSleep = options["no-sleep"] === true;

    const kept: HarEntry[] = [];
    let skipped = 0;
    for (const entry of har.entries) {
      if (entry.method === "?") {
        notes.push({ kind: "dropped", what: "an entry", where: entry.where, detail: "it has no request.method and request.url" });
        continue;
      }
      let url: URL;
      try {
        url = new URL(entry.url);
      } catch {
        notes.push({ kind: "dropped", what: `${entry.method} ${entry.url.slice(0, 80)}`, where: entry.where, detail: "not an absolute URL" });
        continue;
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        notes.push({ kind: "dropped", what: `${entry.method} ${entry.url.slice(0, 80)}`, where: entry.where, detail: `${url.protocol} is not HTTP` });
        continue;
      }
      const host = url.hostname.toLowerCase();
      if ((onlyHosts.length > 0 && !onlyHosts.includes(host) && !onlyHosts.includes(url.host.toLowerCase())) || excludes.some((re) => re.test(entry.url))) {
        skipped++;
        continue;
      }
      kept.push(entry);
    }
    if (skipped > 0) notes.push({ kind: "mapped", what: `${skipped} ${skipped === 1 ? "entry" : "entries"} left out by --only-host/--exclude`, where: fileName, detail: "as asked" });

    const origins = new Map<string, number>();
    for (const entry of kept) {
      const origin = new URL(entry.url).origin;
      origins.set(origin, (origins.get(origin) ?? 0) + 1);
    }
    const base = [...origins].sort((a, b) => b[1] - a[1])[0]?.[0];

    const flow: Record<string, unknown>[] = [];
    let group: { page: string; steps: Record<string, unknown>[] } | undefined;
    let previousEnd: number | undefined;
    let cookieHeaders = 0;
    for (const entry of kept) {
      const { step, droppedCookies } = requestOf(entry, base, notes);
      if (droppedCookies) cookieHeaders++;
      const target = entry.page !== undefined ? (group?.page === entry.page ? group.steps : undefined) : flow;
      const gap = previousEnd !== undefined && entry.startedMs !== undefined ? Math.round(entry.startedMs - previousEnd) : 0;
      const sleep = !noSleep && gap >= MIN_THINK_MS ? { sleep: duration(gap) } : undefined;
      if (entry.page !== undefined && target === undefined) {
        if (sleep) flow.push(sleep);
        group = { page: entry.page, steps: [] };
        flow.push({ group: har.pageTitles.get(entry.page) ?? entry.page, steps: group.steps });
        group.steps.push(step);
      } else {
        if (entry.page === undefined) group = undefined;
        if (sleep) (target ?? flow).push(sleep);
        (target ?? flow).push(step);
      }
      notes.push({ kind: "mapped", what: `${entry.method} ${entry.url.slice(0, 80)}`, where: entry.where });
      if (entry.startedMs !== undefined) previousEnd = Math.max(previousEnd ?? 0, entry.startedMs + entry.timeMs);
    }
    if (cookieHeaders > 0) {
      notes.push({
        kind: "mapped",
        what: `Cookie headers of ${cookieHeaders} request${cookieHeaders === 1 ? "" : "s"} left out`,
        where: fileName,
        detail: "the VU's cookie jar sends the cookies the responses set; cookies set before the recording began are not sent",
      });
    }
    if (flow.length === 0) {
      notes.push({ kind: "dropped", what: "every entry", where: fileName, detail: "nothing is left to replay" });
      flow.push({ sleep: "0s" });
    }
    const plan: Record<string, unknown> = { name: fileName.split(/[\\/]/).at(-1)!.replace(/\.har$/i, "") || "recording" };
    if (base) plan.baseUrl = `\${env.BASE_URL:-${base}}`;
    plan.vus = 1;
    plan.iterations = 1;
    plan.flow = flow;
    return { plan, notes };
  },
};

function compilePattern(pattern: string): RegExp {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new ConfigError(`--exclude: the pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new ConfigError(`--exclude ${JSON.stringify(pattern)} is not a regular expression: ${(error as Error).message}`, "e.g. --exclude '\\.(png|css|js)$'");
  }
}

function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
