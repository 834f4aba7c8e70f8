// One HAR entry → a request step: method, URL (relative to the base origin when it has it),
// the recorded headers except those the client sets itself or that would replay stale state
// (HTTP/2 pseudo-headers, Host, Content-Length, Connection, Cookie — the jar's —, Accept-Encoding,
// conditional If-* headers), the body (`json:` for JSON, `form:` for url-encoded fields, else
// `body:` with its content type), a `status` check of the recorded status, and
// `maxRedirects: 0` on a recorded redirect. Literal `${` in recorded text is escaped as `$${`.
import type { ConversionNote } from "../types.ts";
import type { HarEntry } from "./har-file.ts";

const LEFT_OUT = new Set(["host", "content-length", "connection", "keep-alive", "transfer-encoding", "accept-encoding", "if-none-match", "if-modified-since", "upgrade", "te", "cookie"]);
const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

const escape = (s: string) => s.replaceAll("${", () => "$${");

function escapeJson(value: unknown): unknown {
  if (typeof value === "string") return escape(value);
  if (Array.isArray(value)) return value.map(escapeJson);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeJson(v)]));
  return value;
}

export function requestOf(entry: HarEntry, base: string | undefined, notes: ConversionNote[]): { step: Record<string, unknown>; droppedCookies: boolean } {
  const url = new URL(entry.url);
  const request: Record<string, unknown> = {};
  if (!METHODS.has(entry.method)) notes.push({ kind: "dropped", what: `method ${entry.method}`, where: entry.where, detail: "sent as GET: loadr's request step takes GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS" });
  request.method = METHODS.has(entry.method) ? entry.method : "GET";
  const relative = base !== undefined && url.origin === base;
  request.url = escape(relative ? `${url.pathname}${url.search}` : entry.url);

  let droppedCookies = false;
  let contentType: string | undefined;
  const headers: Record<string, string> = {};
  for (const { name, value } of entry.headers) {
    const lower = name.toLowerCase();
    if (lower.startsWith(":") || LEFT_OUT.has(lower)) {
      if (lower === "cookie") droppedCookies = true;
      continue;
    }
    if (lower === "content-type") {
      contentType = value;
      continue;
    }
    headers[lower] = escape(value);
  }
  if (Object.keys(headers).length > 0) request.headers = headers;

  const post = entry.postData;
  const mime = (post?.mimeType ?? contentType ?? "").toLowerCase();
  if (post && (post.text !== undefined || post.params?.length)) {
    if (mime.includes("json") && post.text !== undefined && isJson(post.text)) {
      request.json = escapeJson(JSON.parse(post.text));
    } else if (mime.startsWith("application/x-www-form-urlencoded") && post.params?.length && post.params.every((p) => p.fileName === undefined)) {
      request.form = Object.fromEntries(post.params.map((p) => [decodeForm(p.name), escape(decodeForm(p.value ?? ""))]));
    } else if (post.text !== undefined) {
      request.body = escape(post.text);
      if (contentType ?? post.mimeType) request.contentType = contentType ?? post.mimeType;
    } else {
      notes.push({ kind: "dropped", what: "a multipart body with files", where: entry.where, detail: "the HAR holds the file names, not their content" });
    }
  } else if (contentType) {
    headers["content-type"] = contentType;
    request.headers = headers;
  }
  const isRedirect = entry.status !== undefined && entry.status >= 300 && entry.status < 400 && entry.status !== 304;
  if (isRedirect) request.maxRedirects = 0;
  if (entry.status !== undefined && entry.status >= 100 && entry.status <= 599) {
    request.checks = [{ status: entry.status === 304 ? [200, 304] : entry.status }];
  }
  return { step: { request }, droppedCookies };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** HAR params are written as sent (often still url-encoded); `+` is a space there. */
function decodeForm(s: string): string {
  try {
    return decodeURIComponent(s.replaceAll("+", " "));
  } catch {
    return s;
  }
}
