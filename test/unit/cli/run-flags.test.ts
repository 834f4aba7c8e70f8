// `loadr run`'s k6 flags as parsed from the command line: what reaches the plan, what is refused
// before it loads, and the flags' environment-variable forms.
import { describe, expect, test } from "bun:test";
import type { ArgsDef, CommandDef } from "citty";
import { overridesFromFlags } from "../../../src/cli/run/k6-overrides.ts";
import { parseHttpDebug } from "../../../src/cli/run/http-debug-flag.ts";
import { configureLogging, jsonLogWriter, logger, parseLogFormat } from "../../../src/cli/log.ts";
import { checkArgs } from "../../../src/cli/strict-args.ts";

const none = { noThresholds: false };

describe("k6 flags → plan overrides", () => {
  test("values pass as written (the plan schema judges them); numbers become numbers", () => {
    expect(overridesFromFlags({ ...none, vus: "7", duration: "3s", iterations: "ten" }, [])).toEqual({ load: { vus: 7, duration: "3s", iterations: "ten" } });
    expect(overridesFromFlags(none, [])).toBeUndefined();
  });

  test("--stage/-s repeat or take a comma list; --tag repeats; trend stats split on commas", () => {
    const raw = ["plan.yaml", "--stage", "30s:20", "-s", "1m:5,10s:0", "--tag", "env=ci", "--tag=build=7=x"];
    expect(overridesFromFlags({ ...none, scenario: "s", summaryTrendStats: "avg, p(99.9)", noThresholds: true }, raw)).toEqual({
      load: { stages: [{ duration: "30s", target: 20 }, { duration: "1m", target: 5 }, { duration: "10s", target: 0 }] },
      scenario: "s",
      tags: { env: "ci", build: "7=x" },
      summaryTrendStats: ["avg", "p(99.9)"],
      noThresholds: true,
    });
  });

  test("a stage without its colon, a tag without =, and an empty stat list are refused with an example", () => {
    expect(() => overridesFromFlags(none, ["--stage", "30s"])).toThrow('--stage expects DURATION:TARGET, got "30s"');
    expect(() => overridesFromFlags(none, ["--tag", "env"])).toThrow('--tag expects NAME=VALUE, got "env"');
    expect(() => overridesFromFlags({ ...none, summaryTrendStats: " , " }, [])).toThrow("--summary-trend-stats needs at least one stat");
  });

  test("the flags are defined for `loadr run`, so strict parsing accepts them and suggests --vus for --vsu", async () => {
    const run = ((await import("../../../src/cli/commands/run.ts")).default as CommandDef<any>).args as ArgsDef;
    const all = ["plan.yaml", "--vus", "1", "-d", "1s", "-i", "2", "-s", "1s:1", "--scenario", "s", "--tag", "a=b", "--no-summary", "--no-thresholds", "--http-debug=full", "--log-format", "json", "--summary-trend-stats", "avg"];
    expect(() => checkArgs("run", run, all)).not.toThrow();
    expect(() => checkArgs("run", run, ["--http-debug", "plan.yaml"])).not.toThrow();
    expect(() => checkArgs("run", run, ["plan.yaml", "--vsu", "10"])).toThrow("unknown flag --vsu for `loadr run` (did you mean --vus?)");
  });
});

describe("--http-debug and LOADR_HTTP_DEBUG", () => {
  test("bare: heads; =full: bodies; =unsafe: credentials too; the flag wins over the variable", () => {
    expect(parseHttpDebug(["p.yaml", "--http-debug"], undefined)).toEqual({ bodies: false, unsafe: false });
    expect(parseHttpDebug(["--http-debug=full"], undefined)).toEqual({ bodies: true, unsafe: false });
    expect(parseHttpDebug(["--http-debug=unsafe"], "full")).toEqual({ bodies: true, unsafe: true });
    expect(parseHttpDebug([], "full")).toEqual({ bodies: true, unsafe: false });
    expect(parseHttpDebug([], "1")).toEqual({ bodies: false, unsafe: false });
    expect(parseHttpDebug([], undefined)).toBeUndefined();
    expect(parseHttpDebug(["--", "--http-debug"], undefined)).toBeUndefined();
  });

  test("an unknown level is refused naming where it came from", () => {
    expect(() => parseHttpDebug(["--http-debug=ful"], undefined)).toThrow('--http-debug: unknown level "ful"');
    expect(() => parseHttpDebug([], "yes")).toThrow('LOADR_HTTP_DEBUG: unknown level "yes"');
  });
});

describe("--log-format", () => {
  test("text or json; anything else is refused", () => {
    expect(parseLogFormat(undefined)).toBe("text");
    expect(parseLogFormat("json")).toBe("json");
    expect(() => parseLogFormat("xml")).toThrow('--log-format expects text or json, got "xml"');
  });

  test("the json writer turns each complete line into {time, level, subsystem, message}", () => {
    const lines: string[] = [];
    const writer = jsonLogWriter({ write: (t) => void lines.push(t), isTTY: true }, "run");
    writer.write("loadr: running plan");
    expect(lines).toEqual([]);
    writer.write(": s (constant-vus)\n\r\x1b[2Kt=1s vus=2/2\n\n");
    expect(writer.isTTY).toBe(false);
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.map((p) => [p.level, p.subsystem, p.message])).toEqual([
      ["info", "run", "running plan: s (constant-vus)"],
      ["info", "run", "t=1s vus=2/2"],
    ]);
    expect(new Date(parsed[0].time).getTime()).toBeGreaterThan(0);
  });

  test("configureLogging reaches loggers made before it: json lines, and --quiet hides info", () => {
    const log = logger("config");
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      configureLogging({ quiet: true, format: "json" });
      log.info("not shown");
      log.warn("plan.yaml:3:1  %s", "a warning");
    } finally {
      process.stderr.write = original;
      configureLogging({});
    }
    expect(written.map((line) => JSON.parse(line))).toMatchObject([{ level: "warn", subsystem: "config", message: "plan.yaml:3:1  a warning" }]);
  });
});
