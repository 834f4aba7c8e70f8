// One HTTP POST of a batch to a receiver, for an output's `send` (outputs/delivery-types.ts): a 2xx
// answer is accepted; 4xx other than 408 and 429 is a PermanentDeliveryError (retrying the same
// body cannot help); anything else (5xx, 408, 429, a network error, the signal) throws a plain
// Error, which the delivery retries. Errors quote at most MAX_ERROR_BODY characters of the
// receiver's answer.
import { PermanentDeliveryError } from "./delivery-types.ts";
import { VERSION } from "../shared/version.ts";

const MAX_ERROR_BODY = 300;

/** Parses an output's URL argument: an absolute http(s) URL, or a message saying what is wrong. */
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

export async function postBody(url: URL, body: Uint8Array | string, headers: Readonly<Record<string, string>>, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: { "User-Agent": `loadr/${VERSION}`, ...headers },
    signal,
    redirect: "manual",
  });
  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel();
    return;
  }
  const text = (await readStart(response).catch(() => "")).trim().slice(0, MAX_ERROR_BODY);
  const message = `${url.origin}${url.pathname} answered HTTP ${response.status}${text ? `: ${text}` : ""}`;
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw new PermanentDeliveryError(message);
  throw new Error(message);
}

/** The start of a response body (at most a few KB read; the rest is discarded unread). */
async function readStart(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  while (text.length < MAX_ERROR_BODY * 4) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => {});
  return text;
}
