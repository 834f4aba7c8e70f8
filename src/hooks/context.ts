// One isolated hooks context: a `node:vm` context whose global has a null prototype (no `process`,
// `Bun`, `require`, `fetch`, file system, timers or dynamic import), set up by the bootstrap
// (src/hooks/bootstrap.ts) with the default globals and the plan's grants:
//   default  console (tagged with the VU), TextEncoder/TextDecoder, atob/btoa, structuredClone,
//            crypto (getRandomValues, randomUUID, subtle: Web Crypto)
//   crypto   crypto.hmac(algorithm, key, data, encoding) and crypto.hash(algorithm, data, encoding),
//            synchronous (hex, base64 or base64url), like k6/crypto
//   timers   setTimeout/setInterval/clearTimeout/clearInterval
//   performance  performance.now()
// `invoke` runs one function of the context under a time limit: its synchronous part through a
// precompiled script with vm's `timeout` (an infinite loop is interrupted), so it throws the vm's
// timeout error; what it returns (maybe a promise of the context) is the caller's to race.
// One context per worker thread (every VU of the thread shares it) and one for setup/teardown.
import vm from "node:vm";
import { createHash, createHmac } from "node:crypto";
import { BOOTSTRAP } from "./bootstrap.ts";

/** The functions the bootstrap returns (objects of the context's realm). */
export interface BootstrapApi {
  makeCtx(bridge: VuBridge, fixedJson: string): CtxObject;
  response(view: unknown): object;
  /** `fn(ctx, ...args)`; with `asResponse`, `fn(ctx, response)` where argsJson is the response (with json()). */
  prepare(fn: unknown, ctx: object | undefined, argsJson: string, asResponse?: boolean): void;
  prepareModule(fn: unknown): { exports: Record<string, unknown> };
  localBuffer(buffer: ArrayBuffer): ArrayBuffer;
  keyHandle(type: string, extractable: boolean, algorithmJson: string, usagesJson: string): object;
  pair(publicKey: object, privateKey: object): object;
  fromJson(text: string): unknown;
  toJson(value: unknown): string | undefined;
  kindOf(value: unknown): string;
}

/** A VU's ctx (an object of the context); the host sets `iteration` before each call. */
export interface CtxObject {
  iteration: number;
}

/** What a VU's ctx calls on the host: primitives and JSON text in and out, never throwing host errors at user code. */
export interface VuBridge {
  getVar(name: string): string | number | boolean | undefined;
  /** An error message, or undefined when stored (`value` null unsets). */
  setVar(name: string, value: unknown): string | undefined;
  varNames(): string;
  dataJson(): string;
  /** An error message, or undefined when `name` may be used as a metric of `type`. */
  declare(type: string, name: string): string | undefined;
  record(type: string, name: string, value: number, tagsJson: string): string | undefined;
  http(requestJson: string, resolve: (responseJson: string) => void, reject: (message: string) => void): void;
}

export interface HooksContextOptions {
  grants: readonly string[];
  /** A console line of user code: level, the VU's label ("" outside VU code), text. */
  log(level: string, label: string, text: string): void;
}

export interface HooksContext {
  readonly api: BootstrapApi;
  /** Compiles `code` (one script) in the context; returns its completion value. */
  compile(code: string, filename: string): unknown;
  /** Runs the prepared call (api.prepare / prepareModule) with a time limit on its synchronous part. */
  run(timeoutMs: number): unknown;
  /** Clears the granted timers. */
  close(): void;
}

const INVOKE_SOURCE = "__loadrCall.fn.apply(undefined, __loadrCall.args)";
/** Timers a context may have pending at once (a leak in user code stays bounded). */
const MAX_TIMERS = 10_000;

export function createHooksContext(options: HooksContextOptions): HooksContext {
  const context = vm.createContext(Object.create(null), { name: "loadr hooks", codeGeneration: { strings: true, wasm: false } });
  const keys = new WeakMap<object, CryptoKey>();
  let api: BootstrapApi;
  const toHost = (value: unknown): unknown => {
    if (typeof value !== "object" || value === null) return value;
    const key = keys.get(value);
    if (key) return key;
    if (ArrayBuffer.isView(value) || Object.prototype.toString.call(value) === "[object ArrayBuffer]") return value;
    if (Array.isArray(value)) return value.map(toHost);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) out[k] = toHost((value as Record<string, unknown>)[k]);
    return out;
  };
  const toContext = (value: unknown): unknown => {
    if (value instanceof ArrayBuffer) return api.localBuffer(value);
    if (value instanceof CryptoKey) {
      const handle = api.keyHandle(value.type, value.extractable, JSON.stringify(value.algorithm), JSON.stringify(value.usages));
      keys.set(handle, value);
      return handle;
    }
    if (typeof value === "object" && value !== null && "privateKey" in value && "publicKey" in value) {
      const pair = value as CryptoKeyPair;
      return api.pair(toContext(pair.publicKey) as object, toContext(pair.privateKey) as object);
    }
    if (typeof value === "object" && value !== null) return api.fromJson(JSON.stringify(value));
    return value;
  };
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let nextTimer = 1;
  const grants = new Set(options.grants);
  const bytes = (v: unknown): Buffer | string =>
    typeof v === "object" && v !== null && typeof (v as { base64?: unknown }).base64 === "string"
      ? Buffer.from((v as { base64: string }).base64, "base64")
      : String(v);
  const encoding = (e: string): "hex" | "base64" | "base64url" => {
    if (e === "hex" || e === "base64" || e === "base64url") return e;
    throw new Error(`encoding must be hex, base64 or base64url, got ${JSON.stringify(e)}`);
  };
  const host: Record<string, unknown> = {
    log: (level: string, label: string, text: string) => options.log(String(level), String(label), String(text)),
    randomHex: (n: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(Math.max(0, Math.min(65536, Math.floor(n)))))).toString("hex"),
    randomUUID: () => crypto.randomUUID(),
    subtle: (method: string, args: unknown[], resolve: (v: unknown) => void, reject: (message: string) => void) => {
      const fn = (crypto.subtle as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
      if (typeof fn !== "function") return reject(`crypto.subtle has no ${method}`);
      let pending: Promise<unknown>;
      try {
        pending = fn.apply(crypto.subtle, Array.from(args, toHost));
      } catch (error) {
        return reject(`crypto.subtle.${method}: ${(error as Error).message}`);
      }
      pending.then(
        (result) => {
          try {
            resolve(toContext(result));
          } catch (error) {
            reject(`crypto.subtle.${method}: ${(error as Error).message}`);
          }
        },
        (error) => reject(`crypto.subtle.${method}: ${(error as Error)?.message ?? String(error)}`),
      );
    },
  };
  if (grants.has("crypto")) {
    host.hmac = (algorithm: string, key: unknown, data: unknown, enc: string) => createHmac(algorithm, bytes(key)).update(bytes(data)).digest(encoding(enc));
    host.hash = (algorithm: string, data: unknown, enc: string) => createHash(algorithm).update(bytes(data)).digest(encoding(enc));
  }
  if (grants.has("performance")) host.now = () => performance.now();
  if (grants.has("timers")) {
    host.setTimer = (fn: () => void, ms: number, repeat: boolean) => {
      if (timers.size >= MAX_TIMERS) throw new Error(`more than ${MAX_TIMERS} timers pending`);
      const id = nextTimer++;
      const delay = Math.max(0, Math.min(2 ** 31 - 1, ms));
      const handle = repeat
        ? setInterval(fn, delay)
        : setTimeout(() => {
            timers.delete(id);
            fn();
          }, delay);
      timers.set(id, handle);
      return id;
    };
    host.clearTimer = (id: number) => {
      const handle = timers.get(id);
      if (handle !== undefined) clearTimeout(handle);
      timers.delete(id);
    };
  }
  const bootstrap = new vm.Script(BOOTSTRAP, { filename: "loadr-hooks-bootstrap.js" }).runInContext(context) as (h: object) => BootstrapApi;
  api = bootstrap(host);
  const invoke = new vm.Script(INVOKE_SOURCE, { filename: "loadr-hooks-call.js" });
  return {
    api,
    compile: (code, filename) => new vm.Script(code, { filename }).runInContext(context),
    run: (timeoutMs) => invoke.runInContext(context, { timeout: Math.max(1, Math.ceil(timeoutMs)) }),
    close() {
      for (const handle of timers.values()) clearTimeout(handle);
      timers.clear();
    },
  };
}
