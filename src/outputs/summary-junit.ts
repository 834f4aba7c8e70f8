// `--summary-junit FILE`: the run's thresholds and checks as JUnit XML, for CI test tabs. Pure.
//
// One <testsuite> "thresholds" with one <testcase> per threshold (classname = the metric or
// sub-metric key, name = the expression): a failed one carries <failure> with the expression and
// the observed value; one that was not evaluated (no samples) is <skipped>. One <testsuite>
// "checks" with one <testcase> per check (classname = its group path): any failed sample makes
// it a <failure> with the counts. A run that failed or was interrupted before its end adds a
// testcase "run" in a suite of that name that fails with the reason, so a broken run never shows
// as green. Text is XML-escaped; control characters that XML 1.0 forbids are dropped.
import type { Summary } from "../core/run/summary.ts";
import { buildReportModel } from "../report/model.ts";
import { formatPercent, formatValue } from "../ui-kit/format.ts";

export function renderSummaryJunit(summary: Summary, exitCode?: number): string {
  const model = buildReportModel({ source: "local run", planName: summary.planName, summary, series: [], ...(exitCode !== undefined ? { exitCode } : {}), generatedAtUnixMs: 0 });
  const seconds = (summary.durationMs / 1000).toFixed(3);
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;

  const thresholdCases = model.thresholds.map((t) => {
    const observed = t.observed === null ? "none" : formatValue(t.observed, t.unit);
    const head = `<testcase classname="${x(t.metric)}" name="${x(t.expression)}" time="0">`;
    if (t.noData && t.ok) return `${head}<skipped message="${x(`not evaluated: ${t.metric} had no samples`)}"/></testcase>`;
    if (t.ok) return `${head}</testcase>`;
    const message = t.error ? `${t.metric}: ${t.expression} could not be evaluated: ${t.error}` : `${t.metric}: ${t.expression} failed; observed ${observed}`;
    return `${head}<failure type="threshold" message="${x(message)}">${x(`metric: ${t.metric}\nexpression: ${t.expression}\nobserved: ${observed}${t.observed === null ? "" : ` (${t.observed})`}${t.abortOnFail ? "\nabortOnFail: true" : ""}`)}</failure></testcase>`;
  });
  const thresholdFailures = model.thresholds.filter((t) => !t.ok).length;
  const thresholdSkipped = model.thresholds.filter((t) => t.noData && t.ok).length;
  suites.push(suite("thresholds", thresholdCases, thresholdFailures, thresholdSkipped, seconds));
  tests += thresholdCases.length;
  failures += thresholdFailures;
  skipped += thresholdSkipped;

  const checkCases = model.checks.map((c) => {
    const head = `<testcase classname="${x(c.group === "" ? "checks" : `checks${c.group}`)}" name="${x(c.name)}" time="0">`;
    if (c.fails === 0) return `${head}</testcase>`;
    const total = c.passes + c.fails;
    const message = `${c.fails} of ${total} failed (${formatPercent(c.passes / total)} passed)`;
    return `${head}<failure type="check" message="${x(message)}">${x(`check: ${c.group}::${c.name}\npasses: ${c.passes}\nfails: ${c.fails}`)}</failure></testcase>`;
  });
  const checkFailures = model.checks.filter((c) => c.fails > 0).length;
  suites.push(suite("checks", checkCases, checkFailures, 0, seconds));
  tests += checkCases.length;
  failures += checkFailures;

  if (exitCode !== undefined && exitCode !== 0 && exitCode !== 99) {
    const reason = [model.verdict.headline, ...model.verdict.details].join(" ");
    suites.push(suite("run", [`<testcase classname="run" name="${x(summary.planName)}" time="${seconds}"><failure type="run" message="${x(reason)}">${x(`exit code: ${exitCode}`)}</failure></testcase>`], 1, 0, seconds));
    tests++;
    failures++;
  }
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${x(`loadr: ${summary.planName}`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}">`,
    ...suites,
    `</testsuites>`,
    "",
  ].join("\n");
}

function suite(name: string, cases: readonly string[], failures: number, skipped: number, seconds: string): string {
  return [`  <testsuite name="${x(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}">`, ...cases.map((c) => `    ${c}`), `  </testsuite>`].join("\n");
}

/** XML-escapes text for an attribute or element content, dropping characters XML 1.0 forbids. */
function x(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!)
    .replace(/\n/g, "&#10;");
}
