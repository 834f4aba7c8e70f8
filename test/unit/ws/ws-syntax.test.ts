// The `ws` step's syntax through the real loader and `loadr validate`: the reference shapes load;
// a misspelt action, option or check key is reported at its line:col with "did you mean"; values
// (close codes, base64, durations, URLs) are checked; `loadr schema` lists the step.
import { describe, expect, test } from "bun:test";
import { validatePlan } from "../../../src/cli/commands/validate.ts";
import { memoryIO } from "../../../src/cli/io.ts";
import { BUILTINS } from "../../../src/builtins.ts";
import { loadPlan, type LoadResult } from "../../../src/config/load.ts";
import { planJsonSchema } from "../../../src/config/schema/json-schema.ts";
import type { WsSpec } from "../../../src/protocols/ws/step/spec.ts";
import { writePlan } from "../../helpers/plans.ts";

const plan = (step: string, baseUrl = "baseUrl: http://127.0.0.1:8080\n") =>
  `${baseUrl}scenarios:\n  s:\n    executor: shared-iterations\n    vus: 1\n    iterations: 1\n    flow:\n${step}\n`;

const load = (text: string): LoadResult => loadPlan({ text, file: "ws.yaml", baseDir: "/", env: {} }, { modules: BUILTINS });

function issues(result: LoadResult): string[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
}

const REFERENCE = `      - ws:
          name: echo
          url: /ws
          session:
            - send: '{"hello":"\${vu}"}'
            - expect:
                json: "$.hello"
                equals: "\${vu}"
                timeout: 2s
            - ping: { timeout: 2s }
            - send: { binary: aGVsbG8= }
            - receive: { count: 1, timeout: 2s }
          close: { code: 1000 }`;

describe("the ws step's syntax", () => {
  test("the reference shape loads into its actions, with the plan's defaults where it sets none", () => {
    const result = load(plan(REFERENCE));
    if (!result.ok) throw new Error(issues(result).join("\n"));
    const step = result.plan.scenarios[0]!.flow[0]!;
    expect(step.kind).toBe("ws");
    const spec = step.spec as WsSpec;
    expect(spec.name).toBe("echo");
    expect(spec.session.map((a) => a.kind)).toEqual(["send", "expect", "ping", "sendBinary", "receive"]);
    expect(spec.session[1]).toMatchObject({ kind: "expect", timeout: 2000, check: { kind: "json", name: "$.hello equals ${vu}" } });
    expect(spec.session[4]).toMatchObject({ kind: "receive", count: 1, timeout: 2000 });
    expect(spec.close).toEqual({ code: 1000, reason: "" });
    expect(spec.timeout).toBe(60_000);
  });

  test("every mistake is listed at its line:col, misspellings with did-you-mean", () => {
    const found = issues(
      load(
        plan(`      - ws:
          url: /ws
          sesion: []
          session:
            - sned: hi
            - expect: { jsn: "$.a", timeout: 1s }
            - expect: { json: "$.a", timout: 1s }
            - expect: { json: "a", timeout: 1x }
            - send: { binary: "!!" }
            - receive: { count: 0 }
            - close: { code: 1001 }`),
      ),
    );
    expect(found).toEqual([
      '10:11 scenarios.s.flow.0.ws.sesion: unknown key "sesion" in ws step; did you mean "session"?',
      '12:15 scenarios.s.flow.0.ws.session.0: unknown ws action "sned"; did you mean "send"? (ws action kinds: send, expect, receive, ping, sleep, close)',
      '13:23 scenarios.s.flow.0.ws.session.1.expect: unknown check "jsn"; did you mean "json"? (check kinds: status, header, body, json, duration, js)',
      '14:38 scenarios.s.flow.0.ws.session.2.expect.timout: unknown key "timout" in expect action; did you mean "timeout"?',
      '15:31 scenarios.s.flow.0.ws.session.3.expect.json: JSON path "a" must start with "$", e.g. "$.user.name"',
      '15:45 scenarios.s.flow.0.ws.session.3.expect.timeout: "1x" is not a duration (at "1x"): write one like "100ms", "30s", "5m", "1h30m" or a number of milliseconds',
      '16:31 scenarios.s.flow.0.ws.session.4.send.binary: "!!" is not base64',
      "17:33 scenarios.s.flow.0.ws.session.5.receive.count: expected a whole number between 1 and 100000, got 0",
      "18:30 scenarios.s.flow.0.ws.session.6.close.code: close code 1001 is not one a client may send: use 1000 or 3000–4999",
    ]);
  });

  test("a relative URL needs a baseUrl; a URL of another scheme is refused", () => {
    expect(issues(load(plan("      - ws: { url: /ws }", "")))).toEqual(['7:20 scenarios.s.flow.0.ws.url: "/ws" is relative but the plan has no baseUrl']);
    expect(issues(load(plan("      - ws: { url: 'ftp://x/ws' }")))).toEqual(['8:20 scenarios.s.flow.0.ws.url: "ftp://x/ws" is not a WebSocket URL']);
  });

  test("loadr validate: the reference passes; a misspelt action exits 104 naming file:line:col", async () => {
    const good = writePlan(plan(REFERENCE));
    const bad = writePlan(plan("      - ws:\n          url: /ws\n          session:\n            - recieve: { count: 1 }"));
    try {
      const ok = memoryIO({}, good.dir);
      expect(await validatePlan("plan.yaml", {}, ok.io)).toBe(0);
      const wrong = memoryIO({}, bad.dir);
      expect(await validatePlan("plan.yaml", {}, wrong.io)).toBe(104);
      expect(wrong.stderr()).toContain('plan.yaml:11:15  scenarios.s.flow.0.ws.session.0: unknown ws action "recieve"; did you mean "receive"?');
    } finally {
      good.cleanup();
      bad.cleanup();
    }
  });

  test("loadr schema lists the ws step and its actions", () => {
    const text = JSON.stringify(planJsonSchema(BUILTINS));
    expect(text).toContain('"ws":{"type":"object"');
    for (const action of ["send", "expect", "receive", "ping", "sleep", "close"]) expect(text).toContain(`"${action}":`);
    expect(text).toContain('"subprotocols"');
  });
});
