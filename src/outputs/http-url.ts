// The URL argument of an output that POSTs to a receiver (prometheus-rw, otlp): an absolute
// http(s) URL. Pure.

/** The URL, or a message saying what is wrong with the argument. */
export function parseHttpUrl(argument: string): URL | string {
  let url: URL;
  try {
    url = new URL(argument.trim());
  } catch {
    return `"${argument}" is not a URL`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `"${argument}" is not an http:// or https:// URL`;
  return url;
}
