// The fleet page's label filter, in the syntax of a plan's `cluster.selector` (a YAML map of
// label: value, every pair must match; cluster/dispatch.ts `matchesSelector`): `pool: default`,
// `{ pool: default, region: eu }`, and `pool=default, region=eu` for quick typing. Pure and
// DOM-free (the browser code imports it; tests run it under Bun).

export type Selector = Record<string, string>;

/** The selector, or what is wrong with the text (with the position of the bad pair). */
export function parseSelector(text: string): { selector: Selector } | { error: string } {
  let body = text.trim();
  if (body.startsWith("{")) {
    if (!body.endsWith("}")) return { error: "a selector that opens with { must close with }" };
    body = body.slice(1, -1);
  }
  const selector: Selector = {};
  const pairs = body.split(",").map((p) => p.trim()).filter((p) => p !== "");
  for (const [i, pair] of pairs.entries()) {
    const m = /^([^:=\s]+)\s*[:=]\s*(.*)$/.exec(pair);
    if (!m) return { error: `pair ${i + 1} "${pair}" is not label: value` };
    const value = m[2]!.trim().replace(/^(["'])(.*)\1$/, "$2");
    if (value === "") return { error: `label ${m[1]} has no value (write ${m[1]}: VALUE)` };
    if (Object.hasOwn(selector, m[1]!)) return { error: `label ${m[1]} appears twice` };
    selector[m[1]!] = value;
  }
  return { selector };
}

export function matchesSelector(labels: Record<string, string>, selector: Selector): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
