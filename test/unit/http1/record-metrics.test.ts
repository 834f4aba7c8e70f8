import { describe, expect, test } from "bun:test";
import { hopTags, isFailed, recordHop, type HopRecord } from "../../../src/protocols/http1/record-metrics.ts";
import { CORE_METRICS } from "../../../src/metrics/builtin.ts";
import { HTTP_METRICS } from "../../../src/protocols/http1/metrics.ts";

const hop = (status: number, error?: string): HopRecord => ({
  status,
  timings: { blocked: 1, connecting: 2, tlsHandshaking: 3, sending: 4, waiting: 5, receiving: 6, duration: 15 },
  bytesSent: 10,
  bytesReceived: 20,
  ...(error ? { error: { code: error, message: "m" } } : {}),
});

describe("record-metrics", () => {
  test("tag objects are cached and frozen", () => {
    const base = { scenario: "a" };
    const a = hopTags(base, "n", "GET", 200, undefined);
    expect(hopTags(base, "n", "GET", 200, undefined)).toBe(a);
    expect(a).toEqual({ scenario: "a", name: "n", method: "GET", status: "200" });
    expect(Object.isFrozen(a)).toBe(true);
    expect(hopTags(base, "n", "GET", 0, "timeout")).toEqual({ scenario: "a", name: "n", method: "GET", status: "0", error: "timeout" });
  });

  test("alternating outcomes on one base get each their own cached set", () => {
    const base = { scenario: "b" };
    const ok = hopTags(base, "n", "GET", 200, undefined);
    const missing = hopTags(base, "n", "GET", 404, undefined);
    const other = hopTags(base, "m", "GET", 200, undefined);
    const post = hopTags(base, "n", "POST", 200, undefined);
    const timeout = hopTags(base, "n", "GET", 200, "timeout");
    expect(new Set([ok, missing, other, post, timeout]).size).toBe(5);
    expect(hopTags(base, "n", "GET", 200, undefined)).toBe(ok);
    expect(hopTags(base, "n", "GET", 404, undefined)).toBe(missing);
    expect(missing.status).toBe("404");
    expect(timeout.error).toBe("timeout");
    expect(hopTags({ scenario: "b" }, "n", "GET", 200, undefined)).not.toBe(ok);
  });

  test("interleaved bases keep their own sets", () => {
    const one = { scenario: "one" };
    const two = { scenario: "two" };
    const a = hopTags(one, "n", "GET", 200, undefined);
    const b = hopTags(two, "n", "GET", 200, undefined);
    expect(b).toEqual({ scenario: "two", name: "n", method: "GET", status: "200" });
    expect(hopTags(one, "n", "GET", 200, undefined)).toBe(a);
    expect(hopTags(two, "n", "GET", 500, undefined)).toEqual({ scenario: "two", name: "n", method: "GET", status: "500" });
    expect(hopTags(one, "n", "GET", 500, undefined).scenario).toBe("one");
    expect(hopTags(two, "n", "GET", 200, undefined)).toBe(b);
  });

  test("failed = error or status outside 200-399", () => {
    expect(isFailed(200, undefined)).toBe(false);
    expect(isFailed(302, undefined)).toBe(false);
    expect(isFailed(404, undefined)).toBe(true);
    expect(isFailed(0, "reset")).toBe(true);
    expect(isFailed(200, "too_many_redirects")).toBe(true);
  });

  test("records every HTTP metric once, with names the module declares (or core ones)", () => {
    const seen: Array<[string, number]> = [];
    recordHop({ add: (m, v) => seen.push([m, v]) }, {}, "n", "GET", hop(500));
    const known = new Set([...HTTP_METRICS, ...CORE_METRICS].map((m) => m.name));
    expect(seen.every(([m]) => known.has(m))).toBe(true);
    expect(Object.fromEntries(seen)).toEqual({
      http_reqs: 1,
      http_req_duration: 15,
      http_req_blocked: 1,
      http_req_connecting: 2,
      http_req_tls_handshaking: 3,
      http_req_sending: 4,
      http_req_waiting: 5,
      http_req_receiving: 6,
      http_req_failed: 1,
      data_sent: 10,
      data_received: 20,
    });
  });
});
