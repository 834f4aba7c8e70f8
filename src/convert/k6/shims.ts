// JavaScript the generated hooks module carries so that original k6 code runs there: k6-utils
// functions, k6/http over `ctx.http.request` (setup/teardown only), a k6-like view of a response
// for js checks, and `check`/`sleep` for setup code. Source text only.

/** Shims for jslib k6-utils functions that original code calls (https://jslib.k6.io/k6-utils). */
export const K6_UTILS_SHIMS: Readonly<Record<string, string>> = {
  randomIntBetween: "function randomIntBetween(min, max) {\n  return Math.floor(Math.random() * (max - min + 1) + min);\n}",
  randomItem: "function randomItem(items) {\n  return items[Math.floor(Math.random() * items.length)];\n}",
  randomString:
    'function randomString(length, charset = "abcdefghijklmnopqrstuvwxyz") {\n  let out = "";\n  for (let i = 0; i < length; i++) out += charset[Math.floor(Math.random() * charset.length)];\n  return out;\n}',
  uuidv4: "function uuidv4() {\n  return crypto.randomUUID();\n}",
};

/**
 * k6/http over the hooks' `ctx.http.request` for `setup`/`teardown` (only they may send requests):
 * get/post/put/patch/del/head/request, params.headers, an object body sent form-encoded as k6 does,
 * and responses with k6's `json(selector)` (dotted paths, `#` for a length) and `status`/`body`/
 * `headers`. Calls are awaited: the converter makes `setup` async and awaits each call.
 */
export const HTTP_SHIM = `function k6http(ctx) {
  const send = async (method, url, body, params = {}) => {
    const request = { method, url, headers: { ...(params.headers ?? {}) } };
    if (typeof body === "string") request.body = body;
    else if (body !== undefined && body !== null) {
      request.body = new URLSearchParams(body).toString();
      request.headers["content-type"] ??= "application/x-www-form-urlencoded";
    }
    const response = await ctx.http.request(request);
    const parsed = () => (typeof response.json === "function" ? response.json() : JSON.parse(response.body));
    return {
      status: response.status,
      headers: response.headers,
      body: response.body,
      json(selector) {
        let value = parsed();
        if (selector === undefined) return value;
        for (const key of String(selector).split(".")) value = key === "#" && Array.isArray(value) ? value.length : value?.[key];
        return value;
      },
    };
  };
  return {
    get: (url, params) => send("GET", url, undefined, params),
    head: (url, params) => send("HEAD", url, undefined, params),
    post: (url, body, params) => send("POST", url, body, params),
    put: (url, body, params) => send("PUT", url, body, params),
    patch: (url, body, params) => send("PATCH", url, body, params),
    del: (url, body, params) => send("DELETE", url, body, params),
    request: (method, url, body, params) => send(method, url, body, params),
  };
}`;

/** A k6-like response over the hooks' response view: `json(selector)`, `timings`, `status`, `body`, `headers`. */
export const K6_RESPONSE_SHIM = `function k6response(response) {
  return {
    status: response.status,
    body: response.body,
    headers: response.headers,
    timings: response.timings ?? {},
    json(selector) {
      let value = typeof response.json === "function" ? response.json() : JSON.parse(response.body);
      if (selector === undefined) return value;
      for (const key of String(selector).split(".")) value = key === "#" && Array.isArray(value) ? value.length : value?.[key];
      return value;
    },
  };
}`;

/** k6's check and sleep for setup/teardown code: check returns whether every predicate held; sleep waits. */
export const SETUP_K6_SHIM = `function k6checks() {
  return {
    check(value, predicates) {
      return Object.values(predicates).every((predicate) => Boolean(predicate(value)));
    },
    // Waits only when the plan grants timers (hooks: { allow: [timers] }); a no-op otherwise.
    sleep(seconds) {
      return typeof setTimeout === "function" ? new Promise((resolve) => setTimeout(resolve, seconds * 1000)) : Promise.resolve();
    },
  };
}`;
