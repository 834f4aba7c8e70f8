// What the outputs that send to a receiver share besides delivery (outputs/delivery.ts): its
// default tuning, and one HTTP POST that classifies the receiver's answer the way the delivery
// contract needs it (outputs/delivery-types.ts: a 4xx other than 429 is permanent).
import { PermanentDeliveryError, type DeliveryOptions } from "./delivery-types.ts";

/** Delivery tuning of every network output (an output may pass others). */
export const NETWORK_DELIVERY = {
  maxBatchItems: 5_000,
  /** About 20–40 MB of encoded points at most, queued while a receiver is slow or down. */
  maxQueuedPoints: 200_000,
  timeoutMs: 10_000,
  /** How long the end of a run waits for a receiver that is down or slow, at most. */
  closeTimeoutMs: 5_000,
  retry: { attempts: 5, initialMs: 200, maxMs: 2_000 },
} as const satisfies Partial<DeliveryOptions<unknown>>;

/** How much of a refusing receiver's answer is quoted in errors, and read at most. */
const QUOTED_ANSWER_CHARS = 300;
const QUOTED_ANSWER_BYTES = 4096;

/** The first `max` bytes of a response body as text; the rest is not read (the stream is cancelled). */
async function readStart(res: Response, max: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body cut short says nothing more about the status.
  } finally {
    reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, max));
}

/** POSTs `body`; resolves on 2xx; throws PermanentDeliveryError on a 4xx other than 429, an Error otherwise. */
export async function postBody(url: string, body: string | Uint8Array, headers: Record<string, string>, signal: AbortSignal): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", body, headers, signal, redirect: "error" });
  } catch (error) {
    if (signal.aborted) throw signal.reason ?? error;
    const code = (error as { code?: unknown }).code;
    throw new Error(`POST ${redact(url)}: ${typeof code === "string" ? code : (error as Error).message}`);
  }
  // The receiver is outside loadr: of its answer, only the start is read (and quoted), never all of it.
  const text = (await readStart(res, QUOTED_ANSWER_BYTES)).trim().slice(0, QUOTED_ANSWER_CHARS);
  if (res.ok) return;
  const message = `POST ${redact(url)}: HTTP ${res.status}${text ? `: ${text}` : ""}`;
  if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new PermanentDeliveryError(message);
  throw new Error(message);
}

/** A URL for messages: no password or token in it. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "redacted";
    for (const key of ["p", "password", "token"]) if (u.searchParams.has(key)) u.searchParams.set(key, "redacted");
    return u.toString();
  } catch {
    return url;
  }
}
