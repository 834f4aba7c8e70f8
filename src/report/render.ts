// The one way to turn a report input into the HTML file's text: the model (model.ts), then the
// page (render-html.ts) with the report's browser bundle (report-bundle.ts, loaded lazily: from
// source it is built on first use). Callers: `loadr run --report`, `loadr report`, the
// controller's GET /api/runs/:id/report.
import { buildReportModel, type ReportInput } from "./model.ts";
import { renderReportHtml } from "./render-html.ts";

export async function renderReport(input: ReportInput): Promise<string> {
  const { REPORT_BUNDLE } = await import("./report-bundle.ts");
  return renderReportHtml(buildReportModel(input), REPORT_BUNDLE);
}
