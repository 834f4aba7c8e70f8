// The parsed JSON body of a response, parsed at most once however many checks and extractors
// read it. Cached in a WeakMap keyed by the ResponseView, so nothing outlives the response.
import type { ResponseView } from "../../protocols/types.ts";

/** Returned by `responseJson` when the body is empty or not JSON. */
export const NOT_JSON: unique symbol = Symbol("not-json");

const parsed = new WeakMap<ResponseView, unknown>();

/** The body parsed as JSON, or `NOT_JSON`. Never throws. */
export function responseJson(response: ResponseView): unknown {
  if (parsed.has(response)) return parsed.get(response);
  let value: unknown = NOT_JSON;
  if (response.body.length > 0) {
    try {
      value = JSON.parse(response.body);
    } catch {
      value = NOT_JSON;
    }
  }
  parsed.set(response, value);
  return value;
}

/**
 * A JSON value as text, the form checks compare and extractors store: strings as themselves,
 * numbers, booleans, null, arrays and objects as their JSON text; undefined stays undefined.
 */
export function jsonValueText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
