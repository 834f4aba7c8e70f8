// Extraction: turns a response into VU variables (`extract:` on a request step). Called by the
// flow interpreter after a request's checks, on the VU's own task; synchronous, never throws.
//
// Contract of a failed extraction (nothing found, body not JSON, no such header/cookie, network
// failure): the variable is *removed* from the VU's vars, so it renders as "" and a value left
// over from an earlier iteration can never masquerade as a fresh one. Nothing is recorded as a
// metric; `onMiss` (the interpreter warns once per extractor) is the only side effect.
import type { ExtractSpec, VarValue } from "../../config/plan.ts";
import type { CookieJar, ResponseView } from "../../protocols/types.ts";
import { queryFirst } from "./jsonpath.ts";
import { jsonValueText, responseJson, NOT_JSON } from "./response-json.ts";

/** The value `spec` extracts from `response`, or undefined when it finds nothing. */
export function extractValue(spec: ExtractSpec, response: ResponseView, jar: CookieJar): string | undefined {
  switch (spec.kind) {
    case "json": {
      const doc = responseJson(response);
      if (doc === NOT_JSON) return undefined;
      return jsonValueText(queryFirst(doc, spec.path));
    }
    case "regex": {
      spec.pattern.lastIndex = 0; // g/y patterns keep state between calls
      const match = spec.pattern.exec(response.body);
      spec.pattern.lastIndex = 0;
      return match?.[spec.group] ?? undefined;
    }
    case "header":
      return response.headers[spec.header.toLowerCase()]?.[0];
    case "cookie":
      return setCookieValue(response.headers["set-cookie"], spec.cookie) ?? jar.get(spec.cookie);
  }
}

/**
 * The value of cookie `name` in a response's Set-Cookie header values; the last one wins, as it
 * would in a jar. Undefined when the response sets no such cookie.
 */
export function setCookieValue(setCookies: readonly string[] | undefined, name: string): string | undefined {
  if (!setCookies) return undefined;
  let found: string | undefined;
  for (const header of setCookies) {
    const end = header.indexOf(";");
    const pair = end < 0 ? header : header.slice(0, end);
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    found = value;
  }
  return found;
}

/**
 * Runs every extractor of a request in order, writing into `vars` (later extractors see earlier
 * results only through vars, not through templates of this request, which are already rendered).
 * An extracted value is always a string, whatever its JSON type (docs/expressions.md "Types").
 */
export function runExtractors(
  specs: readonly ExtractSpec[],
  response: ResponseView,
  vars: Record<string, VarValue>,
  jar: CookieJar,
  onMiss?: (spec: ExtractSpec) => void,
): void {
  for (const spec of specs) {
    const value = extractValue(spec, response, jar);
    if (value === undefined) {
      delete vars[spec.variable];
      onMiss?.(spec);
    } else {
      vars[spec.variable] = value;
    }
  }
}

/** The warning for an extraction that found nothing, naming it by its plan location. */
export function missMessage(spec: ExtractSpec): string {
  const { file, line, column } = spec.loc;
  const what =
    spec.kind === "json" ? `JSON path ${spec.path}` :
    spec.kind === "regex" ? `pattern ${spec.pattern}` :
    spec.kind === "header" ? `header ${spec.header}` : `cookie ${spec.cookie}`;
  return `${file}:${line}:${column}: extract "${spec.variable}" found no ${what}; the variable is unset (renders as "")`;
}
