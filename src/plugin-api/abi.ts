// The byte ABI WebAssembly and native plugins share (docs/plugins.md "The ABI"): every function
// takes bytes and returns bytes. In C, for both targets:
//
//   uint8_t *NAME(const uint8_t *in, size_t in_len, size_t *out_len);
//
// It reads `in_len` bytes at `in`, writes the output's length to `*out_len` and returns a
// pointer to the output (NULL: it failed). The output stays valid until the next call on the
// same thread (a static buffer is enough: each worker thread has its own instance, and calls on
// one thread never overlap). A WebAssembly module also exports `memory` and `uint8_t
// *alloc(size_t n)`, where the host writes the input (and the `out_len` word); a trap fails the
// call. Every plugin exports `loadr_manifest` with this same signature; it ignores its input and
// returns JSON: {"apiVersion": 1, "name": "score", "functions": {"score": {"encoding": "json"}}}.
// Encodings: "json" (input and output are UTF-8 JSON) or "raw" (UTF-8 text / bytes as they are).
import type { Value } from "../config/plan.ts";
import { PluginFailure } from "./failure.ts";
import { PLUGIN_NAME } from "./plugin-modules.ts";
import { SUPPORTED_API_VERSIONS } from "./sdk.ts";

/** Largest input or output of one call. */
export const MAX_ABI_BYTES = 16 * 1024 * 1024;
/** Largest manifest a plugin may return. */
const MAX_MANIFEST_BYTES = 64 * 1024;
const MAX_FUNCTIONS = 256;
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MANIFEST_EXPORT = "loadr_manifest";
/** Exports that are part of the ABI, never plugin functions. */
export const RESERVED_EXPORTS = new Set(["memory", "alloc", "dealloc", MANIFEST_EXPORT]);

export type AbiEncoding = "json" | "raw";

/** One function of an ABI plugin, callable on this thread. */
export interface AbiFunction {
  readonly plugin: string;
  readonly name: string;
  readonly encoding: AbiEncoding;
  /** The call's output (a copy); throws PluginFailure for a trap, a NULL output or a size past MAX_ABI_BYTES. */
  call(input: Uint8Array): Uint8Array;
}

/** A loaded WebAssembly or native plugin. */
export interface AbiPlugin {
  readonly name: string;
  readonly kind: "wasm" | "native";
  readonly functions: ReadonlyMap<string, AbiFunction>;
}

export interface AbiManifest {
  apiVersion: number;
  name: string;
  functions: Record<string, { encoding: AbiEncoding }>;
}

/** The manifest the plugin's `loadr_manifest` returned, checked; throws an Error saying what is wrong. */
export function parseManifest(bytes: Uint8Array): AbiManifest {
  if (bytes.byteLength > MAX_MANIFEST_BYTES) throw new Error(`${MANIFEST_EXPORT} returned ${bytes.byteLength} bytes; a manifest may have at most ${MAX_MANIFEST_BYTES}`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new Error(`${MANIFEST_EXPORT} returned no valid JSON: ${(error as Error).message}`);
  }
  const m = value as Partial<AbiManifest> | null;
  if (typeof m !== "object" || m === null || Array.isArray(m)) throw new Error(`${MANIFEST_EXPORT} returned ${JSON.stringify(value)}, not an object`);
  if (typeof m.apiVersion !== "number" || !SUPPORTED_API_VERSIONS.includes(m.apiVersion)) {
    throw new Error(`it is written for apiVersion ${JSON.stringify(m.apiVersion)}, and this loadr supports apiVersion ${SUPPORTED_API_VERSIONS.join(", ")}`);
  }
  if (typeof m.name !== "string" || !PLUGIN_NAME.test(m.name)) throw new Error(`its manifest's name ${JSON.stringify(m.name)} is not a plugin name (a letter, then letters, digits, _ or -)`);
  const functions = m.functions;
  if (typeof functions !== "object" || functions === null || Array.isArray(functions)) throw new Error(`its manifest's "functions" is not an object of name → {"encoding": "json" | "raw"}`);
  const entries = Object.entries(functions);
  if (entries.length > MAX_FUNCTIONS) throw new Error(`its manifest lists ${entries.length} functions; at most ${MAX_FUNCTIONS} are allowed`);
  for (const [name, spec] of entries) {
    if (!FUNCTION_NAME.test(name) || RESERVED_EXPORTS.has(name)) throw new Error(`its manifest's function ${JSON.stringify(name)} is not a usable function name`);
    const encoding = (spec as { encoding?: unknown } | null)?.encoding;
    if (encoding !== "json" && encoding !== "raw") throw new Error(`its manifest's function ${name} has encoding ${JSON.stringify(encoding)}; write "json" or "raw"`);
  }
  return { apiVersion: m.apiVersion, name: m.name, functions: functions as AbiManifest["functions"] };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The input bytes of a template call: JSON of the argument list, or the one argument's text. */
export function encodeArgs(fn: AbiFunction, args: readonly Value[]): Uint8Array {
  if (fn.encoding === "raw") return encoder.encode(args[0] === null || args[0] === undefined ? "" : String(args[0]));
  return encoder.encode(JSON.stringify(args));
}

/** A JSON value as bytes (the `wasm` step and check inputs). */
export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** The output as a JSON value; throws PluginFailure when it is not JSON. */
export function decodeJson(fn: AbiFunction, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    throw new PluginFailure(fn.plugin, `${fn.name} returned no valid JSON (${bytes.byteLength} bytes)`);
  }
}

export function decodeText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** A template value from a decoded output: scalars as they are, objects and arrays as their JSON text. */
export function toValue(value: unknown): Value {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  return JSON.stringify(value);
}

/** Checks an output length against the limit; throws PluginFailure. */
export function checkOutputLength(plugin: string, name: string, length: number): void {
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_ABI_BYTES) {
    throw new PluginFailure(plugin, `${name} returned an output of ${length} bytes; at most ${MAX_ABI_BYTES} are allowed`);
  }
}

export function checkInputLength(plugin: string, name: string, length: number): void {
  if (length > MAX_ABI_BYTES) throw new PluginFailure(plugin, `${name}'s input is ${length} bytes; at most ${MAX_ABI_BYTES} are allowed`);
}
