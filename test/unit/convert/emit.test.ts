// The shared YAML emitter: what it writes reads back as exactly the plan the converter gave
// (whatever the strings hold), keys keep the converter's order, and the report heads the file
// as comments, in the order mapped / into hooks / dropped.
import { describe, expect, test } from "bun:test";
import { parse } from "yaml";
import { emitPlan } from "../../../src/convert/emit.ts";

const TRICKY = ["yes", "no", "on", "null", "~", "1.0", "0x1F", "1e3", "@at", "#hash", "- dash", "a: b", "{x}", "[y]", "${vars.t}", "$${literal}", " lead", "trail ", "multi\nline\n", "tab\there", "'quote'", '"dq"', "", "*star", "&amp", "!bang", "%pct", "`tick`", "é ünïcode", "x".repeat(200)];

describe("emitPlan", () => {
  test("reads back as the same plan, strings of every shape included, keys in the given order", () => {
    const plan = {
      name: "tricky",
      baseUrl: "${env.BASE_URL:-http://127.0.0.1:8080}",
      vus: 1,
      flow: TRICKY.map((s, i) => ({ request: { name: `r${i}`, method: "POST", url: `/echo?i=${i}`, headers: { "x-value": s }, body: s, checks: [{ status: 200 }, { body: { contains: s } }] } })),
      thresholds: { "http_req_duration{name:r1}": ["p(95)<500", { threshold: "p(99)<900", abortOnFail: true }] },
    };
    const text = emitPlan({ plan, notes: [] }, { from: "k6 x.js" });
    expect(parse(text)).toEqual(plan);
    expect(Object.keys(parse(text))).toEqual(["name", "baseUrl", "vus", "flow", "thresholds"]);
  });

  test("the report heads the plan as comments, each note with its position, in section order", () => {
    const text = emitPlan(
      {
        plan: { name: "x", flow: [{ sleep: "1s" }] },
        files: ["users.csv"],
        notes: [
          { kind: "dropped", what: "fail()", where: "x.js:9:3", detail: "no such step" },
          { kind: "mapped", what: "sleep(1)", where: "x.js:4:3" },
          { kind: "hook", what: "x = f()", where: "x.js:5:3", detail: "js step default_L5" },
        ],
      },
      { from: "k6 x.js" },
    );
    expect(text.split("\n").slice(0, 9)).toEqual([
      "# Converted by `loadr convert k6 x.js`.",
      "# Mapped (1):",
      "#   x.js:4:3  sleep(1)",
      "# Into hooks (1):",
      "#   x.js:5:3  x = f() — js step default_L5",
      "# Dropped (1):",
      "#   x.js:9:3  fail() — no such step",
      "# Data files this plan reads (next to it): users.csv",
      "name: x",
    ]);
  });

  test("small maps and lists are inline, steps stay block style", () => {
    const text = emitPlan({ plan: { flow: [{ sleep: { min: "1s", max: "2s" } }, { request: { method: "GET", url: "/", checks: [{ status: 200 }] } }] }, notes: [] }, { from: "har x.har" });
    expect(text).toContain("  - sleep: { min: 1s, max: 2s }\n");
    expect(text).toContain("      checks:\n        - status: 200\n");
  });
});
