// `loadr controller --outputs FILE`: the operator's outputs with their options, in a YAML file
// holding one `outputs:` list exactly as a plan writes it (config/schema/outputs.ts), checked the
// same way: every problem at its `file:line:col`, unknown keys are errors. `${env.*}` reads the
// controller's environment (a token). Synchronous; the caller reads the file.
import { LineCounter, parseDocument } from "yaml";
import { IssueCollector, type ConfigIssue } from "./issues.ts";
import { createLocator } from "./locate.ts";
import type { OutputSpec } from "./plan.ts";
import type { PlanSyntax } from "./syntax.ts";
import { normalizeOutputs } from "./normalize/outputs.ts";
import { outputsSchema } from "./schema/outputs.ts";
import { strict } from "./schema/helpers.ts";
import { validateAgainst } from "./schema/validate.ts";
import { planSizeProblem, structureProblems } from "./yaml-structure.ts";
import { diskFiles } from "./plan-files.ts";

export type OutputsFileResult = { ok: true; outputs: OutputSpec[] } | { ok: false; issues: ConfigIssue[] };

export function loadOutputsFile(text: string, file: string, syntax: PlanSyntax, env: Record<string, string | undefined>): OutputsFileResult {
  const tooBig = planSizeProblem(text);
  if (tooBig) return { ok: false, issues: [{ message: tooBig.message, hint: tooBig.hint, path: "", file, line: 1, column: 1 }] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const issues = new IssueCollector(createLocator(doc, lineCounter, file));
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  for (const error of doc.errors) issues.error([], `YAML: ${error.message.split("\n")[0]}`, { loc: at(error.pos[0]) });
  for (const problem of doc.errors.length === 0 ? structureProblems(doc, lineCounter) : []) issues.error([], problem.message, { loc: at(problem.offset), hint: problem.hint });
  if (issues.errors.length > 0) return { ok: false, issues: issues.errors };
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  const schema = strict({ outputs: outputsSchema(syntax.outputs) }, "the outputs file (outputs: [...])");
  validateAgainst(schema, data, issues);
  const outputs = normalizeOutputs((data as { outputs?: unknown } | null)?.outputs, {
    source: { text, file, baseDir: ".", env },
    syntax,
    mode: "run",
    issues,
    feeds: new Map(),
    files: [],
    hasBaseUrl: false,
    planFiles: diskFiles("."),
  });
  if (issues.errors.length > 0) return { ok: false, issues: [...issues.errors].sort((a, b) => a.line - b.line || a.column - b.column) };
  return { ok: true, outputs: outputs ?? [] };
}
