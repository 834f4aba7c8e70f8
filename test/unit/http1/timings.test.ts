import { describe, expect, test } from "bun:test";
import { phaseTimings } from "../../../src/protocols/http1/timings.ts";

describe("phaseTimings", () => {
  test("new TLS connection: every phase", () => {
    expect(phaseTimings(100, 103, 105, 110, 111, 112, 120, 125)).toEqual({
      blocked: 3,
      connecting: 2,
      tlsHandshaking: 5,
      sending: 1,
      waiting: 8,
      receiving: 5,
      duration: 14,
    });
  });

  test("reused connection: no connecting or TLS, blocked until the write", () => {
    const t = phaseTimings(100, 0, 0, 0, 100.5, 101, 104, 106);
    expect(t).toMatchObject({ blocked: 0.5, connecting: 0, tlsHandshaking: 0, sending: 0.5, waiting: 3, receiving: 2, duration: 5.5 });
  });

  test("failed while connecting: all time is blocked/connecting, duration 0", () => {
    const t = phaseTimings(100, 101, 0, 0, 0, 0, 0, 150);
    expect(t).toMatchObject({ blocked: 1, connecting: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 });
  });

  test("no answer: waiting runs to the end", () => {
    expect(phaseTimings(0, 0, 0, 0, 1, 2, 0, 50).waiting).toBe(48);
  });

  test("an answer before the request was fully written ends sending there", () => {
    const t = phaseTimings(0, 0, 0, 0, 1, 0, 5, 6);
    expect(t).toMatchObject({ sending: 4, waiting: 0, receiving: 1, duration: 5 });
  });
});
