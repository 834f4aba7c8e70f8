// Writing the HTML report (src/report/) to a file for `loadr run --report` and `loadr report`:
// rendered here from a local run or a JSONL file, or downloaded from the controller's
// GET /api/runs/:id/report, which renders it from the stored run (the same page either way).
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ProcessIO } from "../io.ts";
import type { ControllerClient } from "../../cluster/client.ts";
import type { ReportInput } from "../../report/model.ts";
import { LoadrError } from "../../shared/errors.ts";

/** A report larger than this from a controller is refused (a long run's is a few MB). */
export const MAX_REPORT_BYTES = 256 * 1024 * 1024;

export async function writeReportFile(file: string, input: ReportInput, io: ProcessIO): Promise<string> {
  const { renderReport } = await import("../../report/render.ts");
  return save(file, await renderReport(input), io);
}

export async function downloadReport(client: ControllerClient, runId: string, file: string, io: ProcessIO): Promise<string> {
  const path = `/api/runs/${encodeURIComponent(runId)}/report`;
  const response = await client.open(path);
  if (!response.ok) {
    const answer = (await response.json().catch(() => ({}))) as { error?: string };
    throw new LoadrError(`GET ${client.base}${path}: ${answer.error ?? `HTTP ${response.status}`}`, {
      hint: response.status === 404 ? "check the run id (`loadr control` lists runs; the controller keeps them in its --data-dir)" : "see the controller's log",
    });
  }
  if (!(response.headers.get("content-type") ?? "").startsWith("text/html")) {
    throw new LoadrError(`GET ${client.base}${path} did not answer an HTML page (content-type ${response.headers.get("content-type") ?? "none"})`, { hint: "is --controller a loadr controller?" });
  }
  return save(file, await readLimited(response, MAX_REPORT_BYTES, `${client.base}${path}`), io);
}

function save(file: string, html: string, io: ProcessIO): string {
  const path = resolve(io.cwd, file);
  try {
    writeFileSync(path, html);
  } catch (error) {
    throw new LoadrError(`cannot write the report to ${path}: ${(error as Error).message}`, { hint: "give a path in an existing, writable directory" });
  }
  io.stderr.write(`report written to ${path}\n`);
  return path;
}

async function readLimited(response: Response, limit: number, what: string): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new LoadrError(`${what}: the report is larger than ${limit / 2 ** 20} MiB; refused`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
