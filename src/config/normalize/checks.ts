// `checks:` of a request-like step → CheckSpec[] (core/checks.ts evaluates them). Check names
// default to readable text such as `status is 200`. Protocol-independent: any step whose response
// has a status, headers and a body may carry checks.
import type { Path } from "../issues.ts";
import type { CheckSpec } from "../plan.ts";
import { arr, bool, isRecord, ms, rec, regexOf, str, template, type Env, type NormalizeContext } from "./context.ts";

export function normalizeChecks(raw: unknown, path: Path, ctx: NormalizeContext, env: Env): CheckSpec[] {
  return arr(raw).flatMap((c, i) => normalizeCheck(c, [...path, i], ctx, env) ?? []);
}

function normalizeCheck(raw: unknown, path: Path, ctx: NormalizeContext, env: Env): CheckSpec | undefined {
  if (!isRecord(raw)) return undefined;
  const loc = ctx.issues.locate(path);
  const explicit = str(raw.name);
  type Body = CheckSpec extends infer C ? (C extends CheckSpec ? Omit<C, "name" | "loc"> : never) : never;
  const named = (spec: Body, defaultName: string): CheckSpec => ({ ...spec, name: explicit ?? defaultName, loc }) as CheckSpec;
  if (raw.status !== undefined) {
    const oneOf = (Array.isArray(raw.status) ? raw.status : [raw.status]).filter((s): s is number => typeof s === "number");
    return named({ kind: "status", oneOf }, `status is ${oneOf.join(" or ")}`);
  }
  if (raw.header !== undefined) {
    const header = (str(raw.header) ?? "").toLowerCase();
    const given = (["equals", "contains", "matches", "exists"] as const).filter((k) => raw[k] !== undefined);
    if (given.length > 1) {
      ctx.issues.error([...path, given[1]!], `a header check takes one of equals, contains, matches, exists; got ${given.join(" and ")}`, { at: "key" });
    }
    const spec: CheckSpec & { kind: "header" } = { kind: "header", header, name: "", loc };
    let text = `header ${header} exists`;
    if (raw.equals !== undefined) {
      spec.equals = template(ctx, raw.equals, [...path, "equals"], env);
      text = `header ${header} equals ${spec.equals.source}`;
    } else if (raw.contains !== undefined) {
      spec.contains = template(ctx, raw.contains, [...path, "contains"], env);
      text = `header ${header} contains ${spec.contains.source}`;
    } else if (typeof raw.matches === "string") {
      spec.matches = regexOf(raw.matches);
      text = `header ${header} matches /${raw.matches}/`;
    } else {
      spec.exists = bool(raw.exists, true);
      text = spec.exists ? `header ${header} exists` : `header ${header} is absent`;
    }
    return { ...spec, name: explicit ?? text };
  }
  if (raw.body !== undefined) {
    const body = rec(raw.body);
    const spec: CheckSpec & { kind: "body" } = { kind: "body", name: "", loc };
    const parts: string[] = [];
    if (body.contains !== undefined) {
      spec.contains = template(ctx, body.contains, [...path, "body", "contains"], env);
      parts.push(`contains ${JSON.stringify(spec.contains.source)}`);
    }
    if (typeof body.matches === "string") {
      spec.matches = regexOf(body.matches);
      parts.push(`matches /${body.matches}/`);
    }
    if (parts.length === 0 && isRecord(raw.body)) {
      ctx.issues.error([...path, "body"], "a body check needs contains: or matches:");
    }
    return { ...spec, name: explicit ?? `body ${parts.join(" and ")}` };
  }
  if (raw.json !== undefined) {
    const jsonPath = str(raw.json) ?? "$";
    if (raw.equals !== undefined && raw.exists !== undefined) {
      ctx.issues.error([...path, "exists"], "a json check takes equals or exists, not both", { at: "key" });
    }
    if (raw.equals !== undefined) {
      const equals = template(ctx, raw.equals === null ? "null" : raw.equals, [...path, "equals"], env);
      return named({ kind: "json", path: jsonPath, equals }, `${jsonPath} equals ${equals.source}`);
    }
    const exists = bool(raw.exists, true);
    return named({ kind: "json", path: jsonPath, exists }, exists ? `${jsonPath} exists` : `${jsonPath} does not exist`);
  }
  if (raw.duration !== undefined) {
    const below = rec(raw.duration).below;
    return named({ kind: "duration", below: ms(below, 0) }, `duration below ${str(below) ?? ""}`);
  }
  return undefined;
}
