// The CI summaries a run writes at its end: JUnit XML (one test case per threshold and per check;
// a CI test tab must parse it) and the Markdown of a GitHub step summary, also appended to
// $GITHUB_STEP_SUMMARY when no --summary-markdown is given.
import { afterAll, describe, expect, test } from "bun:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emitSummary, writeAtEnd } from "../../../src/cli/run/finish.ts";
import { memoryIO } from "../../../src/cli/io.ts";
import { renderSummaryJunit } from "../../../src/outputs/summary-junit.ts";
import { renderSummaryMarkdown } from "../../../src/outputs/summary-markdown.ts";
import { reportRun } from "../../helpers/report-run.ts";

const dir = mkdtempSync(join(tmpdir(), "loadr-ci-summaries-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Case = { "@_classname": string; "@_name": string; failure?: { "@_message": string; "#text"?: string }; skipped?: unknown };
const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testsuite" || name === "testcase" }).parse(xml);

describe("--summary-junit", () => {
  test("valid JUnit XML: a test case per threshold and per check, failures with the expression and the value", () => {
    const { summary } = reportRun("shop & <co>");
    const xml = renderSummaryJunit(summary, 99);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parse(xml);
    expect(doc.testsuites["@_tests"]).toBe("4");
    expect(doc.testsuites["@_failures"]).toBe("2");
    expect(doc.testsuites["@_name"]).toBe("loadr: shop & <co>");
    const [thresholds, checks] = doc.testsuites.testsuite as Array<{ "@_name": string; testcase: Case[] }>;
    expect(thresholds!["@_name"]).toBe("thresholds");
    expect(thresholds!.testcase.map((c) => [c["@_classname"], c["@_name"], c.failure !== undefined])).toEqual([
      ["http_req_duration", "p(95)<500", false],
      ["http_req_failed", "rate<0.01", true],
    ]);
    expect(thresholds!.testcase[1]!.failure!["@_message"]).toBe("http_req_failed: rate<0.01 failed; observed 13.3%");
    expect(thresholds!.testcase[1]!.failure!["#text"]).toContain("expression: rate<0.01");
    expect(checks!.testcase.map((c) => [c["@_classname"], c["@_name"], c.failure?.["@_message"]])).toEqual([
      ["checks", "logged in", "6 of 15 failed (60% passed)"],
      ["checks::home", "status is 200", undefined],
    ]);
  });

  test("a threshold without data is skipped; a run that broke adds a failing `run` case", () => {
    const { summary } = reportRun();
    const noData = {
      ...summary,
      metrics: summary.metrics.map((m) => (m.name === "http_req_duration" ? { ...m, thresholds: m.thresholds.map((t) => ({ ...t, ok: true, observed: null, noData: true })) } : m)),
    };
    const xml = renderSummaryJunit(noData, 1);
    expect(XMLValidator.validate(xml)).toBe(true);
    const suites = parse(xml).testsuites.testsuite as Array<{ "@_name": string; testcase: Case[] }>;
    expect(suites[0]!.testcase[0]!.skipped).toBeDefined();
    expect(suites.map((s) => s["@_name"])).toEqual(["thresholds", "checks", "run"]);
    expect(suites[2]!.testcase[0]!.failure!["@_message"]).toContain("the run failed");
  });
});

describe("--summary-markdown", () => {
  test("the verdict first, the thresholds table, key figures, failed checks, notes", () => {
    const { summary } = reportRun("a | b");
    const md = renderSummaryMarkdown(summary, 99);
    const lines = md.split("\n");
    expect(lines[0]).toBe("### ❌ loadr: a \\| b — failed");
    expect(lines[2]).toStartWith("1 of 2 thresholds failed (exit code 99)");
    expect(md).toContain("| ✅ | `http_req_duration` | `p(95)<500` | 200 ms |");
    expect(md).toContain("| ❌ | `http_req_failed` | `rate<0.01` | 13.3% |");
    expect(md).toContain("| Requests | 45 |");
    expect(md).toContain("| Requests per second | 15 req/s |");
    expect(md).toContain("| logged in | 9 | 6 |");
    expect(md).toContain("- The load generator was overloaded");
    expect(md.indexOf("http_req_failed")).toBeLessThan(md.indexOf("| Requests |"));
  });

  test("emitSummary writes both files, and appends the Markdown to $GITHUB_STEP_SUMMARY only without --summary-markdown", () => {
    const { summary } = reportRun();
    const step = join(dir, "step.md");
    writeFileSync(step, "earlier step\n");
    const first = memoryIO({ GITHUB_STEP_SUMMARY: step }, dir);
    emitSummary(summary, first.io, { color: false, noSummary: true, summaryJunit: "junit.xml", exitCode: 99 });
    expect(XMLValidator.validate(readFileSync(join(dir, "junit.xml"), "utf8"))).toBe(true);
    const appended = readFileSync(step, "utf8");
    expect(appended).toStartWith("earlier step\n### ❌ loadr: shop — failed");
    const second = memoryIO({ GITHUB_STEP_SUMMARY: step }, dir);
    emitSummary(summary, second.io, { color: false, noSummary: true, summaryMarkdown: "own.md", exitCode: 99 });
    expect(readFileSync(step, "utf8")).toBe(appended);
    expect(readFileSync(join(dir, "own.md"), "utf8")).toStartWith("### ❌ loadr: shop — failed");
    expect(second.stderr()).toContain(`Markdown summary written to ${join(dir, "own.md")}`);
  });

  test("a file that cannot be written names the flag and the path", () => {
    const { summary } = reportRun();
    const io = memoryIO({}, dir);
    expect(() => emitSummary(summary, io.io, { color: false, noSummary: true, summaryJunit: "missing/dir/junit.xml" })).toThrow(`--summary-junit ${join(dir, "missing/dir/junit.xml")}: the file cannot be written`);
  });
});

describe("writeAtEnd", () => {
  test("a file that could not be written is said; a passing run then exits 1, a failing one keeps its code", async () => {
    const { summary } = reportRun();
    const write = (io: ReturnType<typeof memoryIO>["io"]) => () => emitSummary(summary, io, { color: false, noSummary: true, summaryMarkdown: "nowhere/s.md" });
    const passing = memoryIO({}, dir);
    expect(await writeAtEnd(0, passing.io, write(passing.io))).toBe(1);
    expect(passing.stderr()).toContain(`loadr: --summary-markdown ${join(dir, "nowhere/s.md")}: the file cannot be written`);
    expect(passing.stderr()).toContain("hint: give a path in an existing, writable directory");
    const failing = memoryIO({}, dir);
    expect(await writeAtEnd(99, failing.io, write(failing.io))).toBe(99);
    expect(await writeAtEnd(0, failing.io, () => undefined)).toBe(0);
  });
});
