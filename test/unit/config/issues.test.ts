import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadPlan } from "../../../src/config/load.ts";
import { BUILTINS } from "../../../src/builtins.ts";
import { formatIssues } from "../../../src/config/issues.ts";
import { FIXTURES, loadIssues, withFlow, withScenario } from "./helpers.ts";

const at = (issues: { line: number; column: number; path: string }[]) => issues.map((i) => `${i.line}:${i.column} ${i.path}`);

describe("config issues", () => {
  test("a plan with several mistakes reports every one at its line:col", () => {
    const file = join(FIXTURES, "bad/five-mistakes.yaml");
    const result = loadPlan({ text: readFileSync(file, "utf8"), file: "five-mistakes.yaml", baseDir: join(FIXTURES, "bad"), env: {} }, { modules: BUILTINS });
    if (result.ok) throw new Error("should fail");
    expect(at(result.issues)).toEqual([
      "10:5 scenarios.browse.duraton",
      "14:39 scenarios.browse.flow.0.request.json.user", // at "email", the unknown column
      "15:16 scenarios.browse.flow.1.sleep",
      "21:5 scenarios.burst.stages",
      "25:3 thresholds.http_req_durations",
      "26:12 thresholds.checks.0",
    ]);
    const [typo, column, sleep, stages, metric, aggregation] = result.issues.map((i) => i.message);
    expect(typo).toBe('unknown key "duraton" in a scenario; did you mean "duration"?');
    expect(column).toContain('feed "users" has no column "email"');
    expect(result.issues[1]!.hint).toBe("columns: name, password");
    expect(sleep).toContain('"10 seconds" is not a duration');
    expect(stages).toContain('"stages" is not an option of executor constant-arrival-rate');
    expect(metric).toContain('did you mean "http_req_duration"?');
    expect(aggregation).toBe("p(N) does not apply to checks, a rate; use one of rate");

    const text = formatIssues(result.issues);
    expect(text.split("\n")[0]).toBe("invalid plan: 6 problems");
    expect(text).toContain(
      '  five-mistakes.yaml:10:5  scenarios.browse.duraton: unknown key "duraton" in a scenario; did you mean "duration"?\n',
    );
    expect(text).toContain("(columns: name, password)");
  });

  test("unknown keys are reported at the key, each with a suggestion", () => {
    const issues = loadIssues(`baseUrl: http://x\nscenarois: {}\ntreshold: {}\n`);
    expect(issues.map((i) => [i.line, i.column, i.message])).toContainEqual([2, 1, 'unknown key "scenarois" in the plan; did you mean "scenarios"?']);
    expect(issues.map((i) => [i.line, i.column, i.message])).toContainEqual([3, 1, 'unknown key "treshold" in the plan; did you mean "thresholds"?']);
    // The misspelt required key is reported once, as the typo.
    expect(issues.some((i) => i.message.includes('"scenarios" is required'))).toBe(false);
  });

  test("a missing required key is reported at its parent", () => {
    const issues = loadIssues(withScenario("executor: constant-vus\nflow:\n  - sleep: 1s"));
    expect(issues).toMatchObject([{ path: "scenarios.s.duration", line: 3, column: 3 }]);
    expect(issues[0]!.message).toBe('"duration" is required in scenario (constant-vus)');
  });

  test("a missing CSV file is an issue at the csv key naming the resolved path", () => {
    const issues = loadIssues(withFlow("- sleep: 1s", "data:\n  people:\n    csv: missing.csv\n"));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: "data.people.csv", line: 9, column: 10 });
    expect(issues[0]!.message).toBe(`CSV file not found: ${join(FIXTURES, "reference/missing.csv")}`);
    expect(issues[0]!.hint).toContain("relative to the plan's directory");
  });

  test("a template naming an unknown feed lists the feeds", () => {
    const issues = loadIssues(withFlow('- set: { who: "${data.user.name}" }', "data:\n  users: { csv: users.csv }\n"));
    expect(issues[0]!.message).toBe('${data.user.name}: no data feed "user"; did you mean "users"?');
    expect(issues[0]!.hint).toBe("feeds: users");
  });

  test("an unknown executor is reported and the flow is still checked", () => {
    const issues = loadIssues(withScenario("executor: constant-vu\nflow:\n  - slep: 1s"));
    expect(at(issues)).toEqual(["4:15 scenarios.s.executor", "6:9 scenarios.s.flow.0"]);
    expect(issues[0]!.message).toContain('unknown executor "constant-vu"; did you mean "constant-vus"?');
    expect(issues[1]!.message).toContain('unknown step "slep"; did you mean "sleep"?');
  });

  test("with an unknown executor, misspelt keys and wrongly typed options are still reported", () => {
    const issues = loadIssues(withScenario("executor: constant-vu\nvus: ten\nduraton: 10s\nflow:\n  - sleep: 1s"));
    expect(at(issues)).toEqual(["4:15 scenarios.s.executor", "5:10 scenarios.s.vus", "6:5 scenarios.s.duraton"]);
    expect(issues[1]!.message).toContain('got "ten"');
    expect(issues[2]!.message).toContain('did you mean "duration"?');
  });

  test("YAML syntax errors carry their position", () => {
    const issues = loadIssues("scenarios:\n  s: [unclosed\n");
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.message).toStartWith("YAML: ");
    expect(issues[0]!.line).toBeGreaterThan(1);
  });

  test("duplicate keys are errors", () => {
    const issues = loadIssues("baseUrl: http://a\nbaseUrl: http://b\nscenarios: {}\n");
    expect(issues[0]!.message).toContain("unique");
  });

  test("bad regexes are config errors at their line:col", () => {
    const issues = loadIssues(withFlow("- request:\n    url: /\n    checks:\n      - body: { matches: '(unclosed' }"));
    expect(issues).toMatchObject([{ path: "scenarios.s.flow.0.request.checks.0.body.matches", line: 9, column: 32 }]);
    expect(issues[0]!.message).toContain("bad regular expression /(unclosed/");
  });

  test("an unknown template expression is an error at its name inside the string", () => {
    const issues = loadIssues(withFlow("- request: { url: '/items/${itteration}' }"));
    // The string's quote is at column 25; "itteration" starts 10 characters later.
    expect(issues).toMatchObject([{ path: "scenarios.s.flow.0.request.url", line: 6, column: 35 }]);
    expect(issues[0]!.message).toBe('${itteration}: unknown name "itteration"; did you mean "iteration"?');
  });

  test("relative URLs need a baseUrl", () => {
    const issues = loadIssues("scenarios:\n  s:\n    executor: per-vu-iterations\n    flow:\n      - request: { url: /x }\n");
    expect(issues[0]!.message).toContain("relative but the plan has no baseUrl");
  });

  test("a request has one body", () => {
    const issues = loadIssues(withFlow("- request: { url: /, json: {a: 1}, body: x }"));
    expect(issues[0]!.message).toBe("a request has one body: json and body are both set");
  });

  test("cluster scenario selectors must name scenarios", () => {
    const issues = loadIssues(withFlow("- sleep: 1s", "cluster:\n  scenarios:\n    ss: { zone: eu }\n"));
    expect(issues).toMatchObject([{ path: "cluster.scenarios.ss", line: 9, column: 5 }]);
    expect(issues[0]!.message).toBe('no scenario "ss"; did you mean "s"?');
  });
});

describe("found by the fuzzer", () => {
  test("`scenarios: null` is an issue at the key, not a crash", () => {
    const issues = loadIssues("scenarios: null\n");
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.path).toBe("scenarios");
  });
});
