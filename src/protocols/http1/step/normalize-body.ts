// The body of a `request:` step: at most one of `json:`, `form:`, `body:` (raw text) and `file:`,
// with `contentType:` for the raw and file kinds. A body file must exist at load time.
import type { Path } from "../../../config/issues.ts";
import { compileJson } from "../../../config/templates.ts";
import { addFile, rec, str, template, type Env, type NormalizeContext } from "../../../config/normalize/context.ts";
import type { BodySpec } from "./spec.ts";

export function normalizeBody(r: Record<string, unknown>, path: Path, ctx: NormalizeContext, env: Env): BodySpec | undefined {
  const kinds = (["json", "form", "body", "file"] as const).filter((k) => r[k] !== undefined);
  if (kinds.length > 1) {
    ctx.issues.error([...path, kinds[1]!], `a request has one body: ${kinds.join(" and ")} are both set`, { at: "key" });
    return undefined;
  }
  const contentType = str(r.contentType);
  const kind = kinds[0];
  if (contentType !== undefined && (kind === "json" || kind === "form")) {
    ctx.issues.error([...path, "contentType"], `contentType applies to body: and file:, not to ${kind}:`, {
      at: "key",
      hint: "set a content-type header instead",
    });
  }
  const withType = <T extends BodySpec>(spec: T): T => (contentType === undefined ? spec : { ...spec, contentType });
  switch (kind) {
    case undefined:
      return undefined;
    case "json":
      return { kind: "json", value: compileJson(r.json, (text, at) => template(ctx, text, at, env), [...path, "json"]) };
    case "form":
      return {
        kind: "form",
        fields: Object.entries(rec(r.form)).map(([k, v]) => [k, template(ctx, v, [...path, "form", k], env)]),
      };
    case "body":
      return withType<BodySpec>({ kind: "raw", text: template(ctx, r.body, [...path, "body"], env) });
    case "file": {
      const file = str(r.file) ?? "";
      addFile(ctx, file);
      const problem = file ? ctx.planFiles.check(file, "body file") : undefined;
      if (problem) ctx.issues.error([...path, "file"], problem.message, { hint: problem.hint });
      return withType<BodySpec>({ kind: "file", path: file });
    }
  }
}
