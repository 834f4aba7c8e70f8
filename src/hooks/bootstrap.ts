// The code that runs first in every hooks context (src/hooks/context.ts), in the context's own
// realm: it builds the globals user code gets (console, TextEncoder/TextDecoder, atob/btoa,
// structuredClone, crypto, and the granted extras) and each VU's `ctx`, all as objects of that
// realm. Host functions reach it only as the closure variable `host`, never as a value user code
// can see; everything it passes to them is a primitive or JSON text, everything it returns is
// rebuilt here, and a host exception is rethrown as this realm's Error. (That is what keeps
// `x.constructor.constructor("return process")` from finding the host: docs/hooks.md
// "Isolation" — containment, not a security sandbox.)
export const BOOTSTRAP = String.raw`(function (host) {
  "use strict";
  const G = globalThis;
  const O = Object;
  const rethrow = (e) => { throw new Error(typeof e === "string" ? e : String((e && e.message) || e)); };
  const call = (f, ...a) => { try { return f(...a); } catch (e) { rethrow(e); } };
  const parse = (text) => (text === undefined || text === "" ? undefined : JSON.parse(text));
  const show = (v) => {
    if (typeof v === "string") return v;
    if (v instanceof Error) return v.stack || String(v);
    try { const j = JSON.stringify(v); return j === undefined ? String(v) : j; } catch { return String(v); }
  };
  const define = (name, value) => O.defineProperty(G, name, { value, writable: true, configurable: true, enumerable: false });

  const makeConsole = (label) => {
    const out = (level) => (...args) => { host.log(level, label(), args.map(show).join(" ")); };
    return O.freeze({ log: out("info"), info: out("info"), debug: out("debug"), warn: out("warn"), error: out("error") });
  };
  let currentVu = "";
  define("console", makeConsole(() => currentVu));

  // UTF-8 through the realm's own URI functions; base64 by hand.
  class TextEncoder {
    get encoding() { return "utf-8"; }
    encode(s = "") {
      const bin = unescape(encodeURIComponent(String(s)));
      const out = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out;
    }
  }
  class TextDecoder {
    get encoding() { return "utf-8"; }
    decode(bytes) {
      if (bytes === undefined) return "";
      const view = ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
      let bin = "";
      for (let i = 0; i < view.length; i++) bin += String.fromCharCode(view[i]);
      try { return decodeURIComponent(escape(bin)); } catch { return bin; }
    }
  }
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const btoa = (s) => {
    s = String(s);
    let out = "";
    for (let i = 0; i < s.length; i += 3) {
      const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
      if (a > 255 || b > 255 || c > 255) throw new Error("btoa: the string has characters outside Latin-1");
      const n = (a << 16) | ((b || 0) << 8) | (c || 0);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < s.length ? B64[(n >> 6) & 63] : "=") + (i + 2 < s.length ? B64[n & 63] : "=");
    }
    return out;
  };
  const atob = (s) => {
    s = String(s).replace(/[\s=]/g, "").replace(/-/g, "+").replace(/_/g, "/");
    let out = "", bits = 0, value = 0;
    for (const ch of s) {
      const d = B64.indexOf(ch);
      if (d < 0) throw new Error("atob: not base64");
      value = (value << 6) | d; bits += 6;
      if (bits >= 8) { bits -= 8; out += String.fromCharCode((value >> bits) & 255); }
    }
    return out;
  };
  const structuredClone = (v, seen = new Map()) => {
    if (v === null || typeof v !== "object") {
      if (typeof v === "function" || typeof v === "symbol") throw new Error("structuredClone: " + typeof v + " cannot be cloned");
      return v;
    }
    if (seen.has(v)) return seen.get(v);
    let out;
    if (v instanceof Date) out = new Date(v.getTime());
    else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
    else if (ArrayBuffer.isView(v)) out = v.slice();
    else if (v instanceof ArrayBuffer) out = v.slice(0);
    else if (v instanceof Map) { out = new Map(); seen.set(v, out); for (const [k, x] of v) out.set(structuredClone(k, seen), structuredClone(x, seen)); return out; }
    else if (v instanceof Set) { out = new Set(); seen.set(v, out); for (const x of v) out.add(structuredClone(x, seen)); return out; }
    else if (Array.isArray(v)) { out = []; seen.set(v, out); for (const x of v) out.push(structuredClone(x, seen)); return out; }
    else { out = {}; seen.set(v, out); for (const k of O.keys(v)) out[k] = structuredClone(v[k], seen); return out; }
    seen.set(v, out);
    return out;
  };
  define("TextEncoder", TextEncoder);
  define("TextDecoder", TextDecoder);
  define("btoa", btoa);
  define("atob", atob);
  define("structuredClone", (v) => structuredClone(v));

  // Web Crypto: subtle's methods forwarded to the host's, keys as opaque handles of this realm.
  const subtle = {};
  for (const method of ["digest", "importKey", "exportKey", "sign", "verify", "encrypt", "decrypt", "generateKey", "deriveBits", "deriveKey", "wrapKey", "unwrapKey"]) {
    subtle[method] = (...args) => new Promise((resolve, reject) => {
      try { host.subtle(method, args, resolve, (message) => reject(new Error(String(message)))); } catch (e) { reject(new Error(String((e && e.message) || e))); }
    });
  }
  const crypto = {
    subtle: O.freeze(subtle),
    getRandomValues(array) {
      if (!ArrayBuffer.isView(array)) throw new TypeError("getRandomValues needs a typed array");
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      if (bytes.length > 65536) throw new Error("getRandomValues: at most 65536 bytes");
      const hex = call(host.randomHex, bytes.length);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
      return array;
    },
    randomUUID: () => call(host.randomUUID),
  };
  if (host.hmac) {
    crypto.hmac = (algorithm, key, data, encoding = "hex") => call(host.hmac, String(algorithm), bytesOrText(key), bytesOrText(data), String(encoding));
    crypto.hash = (algorithm, data, encoding = "hex") => call(host.hash, String(algorithm), bytesOrText(data), String(encoding));
  }
  function bytesOrText(v) {
    if (typeof v === "string") return v;
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return { base64: btoa(latin1(v)) };
    return String(v);
  }
  function latin1(v) {
    const view = ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array(v);
    let s = "";
    for (let i = 0; i < view.length; i++) s += String.fromCharCode(view[i]);
    return s;
  }
  define("crypto", O.freeze(crypto));
  if (host.now) define("performance", O.freeze({ now: () => host.now() }));
  if (host.setTimer) {
    const timer = (repeat) => (fn, ms = 0, ...args) => {
      if (typeof fn !== "function") throw new TypeError("the callback must be a function");
      return host.setTimer(() => { try { fn(...args); } catch (e) { host.log("error", currentVu, "timer callback: " + show(e)); } }, Number(ms) || 0, repeat);
    };
    define("setTimeout", timer(false));
    define("setInterval", timer(true));
    define("clearTimeout", (id) => host.clearTimer(Number(id)));
    define("clearInterval", (id) => host.clearTimer(Number(id)));
  }

  const freezeDeep = (v) => { if (v && typeof v === "object") { for (const k of O.keys(v)) freezeDeep(v[k]); O.freeze(v); } return v; };
  const asVar = (v) => (v !== null && typeof v === "object" ? JSON.stringify(v) : v);

  /** One VU's ctx. 'vu' is its bridge of host functions (all take and return primitives or JSON text). */
  function makeCtx(vu, fixedJson) {
    const fixed = parse(fixedJson);
    const setup = fixed.setup === undefined ? undefined : freezeDeep(fixed.setup);
    const env = freezeDeep(fixed.env || {});
    const vars = new Proxy(O.create(null), {
      get: (t, k) => (typeof k === "string" ? call(vu.getVar, k) : undefined),
      set: (t, k, v) => { const problem = call(vu.setVar, String(k), asVar(v)); if (problem) throw new TypeError(problem); return true; },
      deleteProperty: (t, k) => { call(vu.setVar, String(k), null); return true; },
      has: (t, k) => typeof k === "string" && call(vu.getVar, k) !== undefined,
      ownKeys: () => parse(call(vu.varNames)),
      getOwnPropertyDescriptor: (t, k) => {
        const value = typeof k === "string" ? call(vu.getVar, k) : undefined;
        return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
      },
    });
    const handles = new Map();
    const metric = (type) => (name) => {
      const key = type + ":" + name;
      let handle = handles.get(key);
      if (!handle) {
        const problem = call(vu.declare, type, String(name));
        if (problem) throw new Error(problem);
        handle = O.freeze({ name: String(name), add: (value, tags) => { const p = call(vu.record, type, String(name), Number(value), tags === undefined ? "" : JSON.stringify(tags)); if (p) throw new Error(p); } });
        handles.set(key, handle);
      }
      return handle;
    };
    let dataAt = -1, data;
    const ctx = {
      vu: fixed.vu,
      scenario: fixed.scenario,
      iteration: 0,
      vars,
      get data() { if (dataAt !== ctx.iteration) { data = freezeDeep(parse(call(vu.dataJson)) || {}); dataAt = ctx.iteration; } return data; },
      env,
      setup,
      metrics: O.freeze({ counter: metric("counter"), rate: metric("rate"), gauge: metric("gauge"), trend: metric("trend") }),
      http: O.freeze({
        request: (request) => new Promise((resolve, reject) => {
          let text;
          try { text = JSON.stringify(request === undefined ? {} : request); } catch (e) { reject(new Error("ctx.http.request: the request is not JSON: " + e.message)); return; }
          try {
            vu.http(text, (json) => resolve(response(parse(json))), (message) => reject(new Error(String(message))));
          } catch (e) { reject(new Error(String((e && e.message) || e))); }
        }),
      }),
      console: makeConsole(() => fixed.label),
    };
    O.defineProperty(ctx, "label", { value: fixed.label });
    return O.seal(ctx);
  }
  function response(r) {
    let parsed, done = false;
    return O.freeze({ ...r, json() { if (!done) { parsed = JSON.parse(r.body); done = true; } return parsed; } });
  }
  const slot = { fn: undefined, args: undefined };
  define("__loadrCall", slot);
  return O.freeze({
    makeCtx,
    response,
    /** Points the invoke script at 'fn' with '[ctx, ...JSON args]'. */
    prepare(fn, ctx, argsJson, asResponse) {
      slot.fn = fn;
      slot.args = asResponse ? [ctx, response(parse(argsJson))] : argsJson === "" ? [ctx] : [ctx, ...parse(argsJson)];
      if (ctx && ctx.label !== undefined) currentVu = ctx.label;
    },
    prepareModule(fn) { const module = { exports: {} }; slot.fn = fn; slot.args = [module, module.exports]; return module; },
    localBuffer: (buffer) => new Uint8Array(buffer).slice().buffer,
    keyHandle: (type, extractable, algorithmJson, usagesJson) => O.freeze({ type, extractable, algorithm: parse(algorithmJson), usages: parse(usagesJson) }),
    pair: (publicKey, privateKey) => O.freeze({ publicKey, privateKey }),
    fromJson: (text) => parse(text),
    toJson: (v) => { try { return JSON.stringify(v); } catch (e) { return undefined; } },
    kindOf: (v) => (v === null ? "null" : Array.isArray(v) ? "array" : v instanceof Promise ? "promise" : typeof v),
  });
})`;
