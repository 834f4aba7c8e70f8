// The HTML report as a file: self-contained (no URL a browser would fetch), the verdict and the
// thresholds before everything else, every table filled from the model, text escaped, print rules.
import { describe, expect, test } from "bun:test";
import { buildReportModel } from "../../../src/report/model.ts";
import { renderReport } from "../../../src/report/render.ts";
import { REPORT_DATA_ID } from "../../../src/report/render-html.ts";
import { fetchingReferences } from "../../helpers/html-refs.ts";
import { reportRun } from "../../helpers/report-run.ts";

describe("renderReport", () => {
  const { summary, series } = reportRun("shop <beta>");
  const input = { source: "local run" as const, planName: summary.planName, summary, series, exitCode: 99, generatedAtUnixMs: Date.UTC(2025, 0, 1) };

  test("one self-contained file: the bundle inline, no URL a browser would fetch, a policy that forbids requests", async () => {
    const html = await renderReport(input);
    expect(html).toContain('<script type="module">');
    expect(html).toContain(".uplot"); // uPlot's CSS is inline
    expect(fetchingReferences(html)).toEqual([]);
    expect(html).toContain("default-src 'none'");
    // Any http(s) text left is inert: inside the script's code, never an attribute.
    const script = html.slice(html.indexOf('<script type="module">'));
    const outsideScript = html.slice(0, html.indexOf('<script type="module">'));
    expect(outsideScript).not.toMatch(/https?:\/\//);
    expect(script.length).toBeGreaterThan(20_000);
  });

  test("the verdict, then the thresholds, come before the charts and tables", async () => {
    const html = await renderReport(input);
    const at = (id: string) => html.indexOf(`id="${id}"`);
    expect(at("verdict")).toBeGreaterThan(0);
    expect(at("verdict")).toBeLessThan(at("thresholds"));
    expect(at("thresholds")).toBeLessThan(at("figures"));
    expect(at("figures")).toBeLessThan(at("charts"));
    expect(at("charts")).toBeLessThan(at("latency-by-name"));
    expect(html).toContain("FAILED — 1 of 2 thresholds failed");
    expect(html).toMatch(/<code>http_req_failed<\/code><\/td><td><code>rate&lt;0\.01<\/code><\/td><td class="num">13\.3%<\/td>/);
  });

  test("tables carry the summary's figures; text is escaped; the model is embedded for the charts", async () => {
    const html = await renderReport(input);
    expect(html).toContain("<h1>shop &lt;beta&gt;</h1>");
    expect(html).not.toContain("shop <beta>");
    expect(html).toMatch(/<tr><td>home<\/td><td class="num">30<\/td><td class="num">0%<\/td>/);
    expect(html).toMatch(/<tr><td>login<\/td><td class="num">15<\/td><td class="num">40%<\/td>/);
    expect(html).toMatch(/<code>ECONNREFUSED<\/code>.*<td class="num">6<\/td><td>login<\/td>/);
    expect(html).toMatch(/logged in<\/td><td class="num">9<\/td><td class="num">6<\/td>/);
    expect(html).toContain("overloaded for 3 s");
    const data = new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">(.*?)</script>`).exec(html)![1]!;
    expect(JSON.parse(data)).toEqual(buildReportModel(input));
  });

  test("readable when printed: print rules keep charts and rows whole", async () => {
    const html = await renderReport(input);
    expect(html).toContain("@media print");
    const print = html.slice(html.indexOf("@media print"));
    expect(print.includes(".kit-chart,.kit-table tr,.kit-card{break-inside:avoid}")).toBe(true);
  });
});
