// docs/expressions.md stays true: every function is documented, each function example evaluates
// to the value the page shows, and every plan on the page loads.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FUNCTIONS } from "../../../../src/config/expression/functions.ts";
import { parseExpression } from "../../../../src/config/expression/parser.ts";
import { compileTemplate, EMPTY_SCOPE, type TemplateContext } from "../../../../src/config/templates.ts";
import { loadOk } from "../helpers.ts";

const page = readFileSync(join(import.meta.dir, "../../../../docs/expressions.md"), "utf8");

/** Rows of the functions table: [signature, example, value] (cells without their backticks). */
const rows = [...page.matchAll(/^\| `(\w+)\(([^`]*)\)` \| [^|]+ \| `([^`]+)` \| (.+) \|$/gm)].map(([, name, params, example, value]) => ({
  name: name!,
  params: params!,
  example: example!,
  value: value!.trim(),
}));

function evaluate(expression: string) {
  const errors: string[] = [];
  const ctx: TemplateContext = { env: {}, mode: "run", feeds: new Map(), runtime: true, error: (m) => errors.push(m), warn: (m) => errors.push(m) };
  const value = compileTemplate(`\${${expression}}`, ctx).evaluate(EMPTY_SCOPE);
  expect(errors).toEqual([]);
  return value;
}

describe("docs/expressions.md", () => {
  test("documents every function, with its parameters as the table of functions has them", () => {
    expect(rows.map((r) => r.name).sort()).toEqual(Object.keys(FUNCTIONS).sort());
    for (const row of rows) expect(row.params).toBe(FUNCTIONS[row.name]!.params);
  });

  test("each function example evaluates to the value shown", () => {
    const checked = rows.filter((r) => r.value.startsWith("`"));
    expect(checked.length).toBeGreaterThanOrEqual(16);
    for (const { example, value } of checked) {
      const literal = parseExpression(value.slice(1, -1));
      if (!literal.ok) throw new Error(`${value}: ${literal.error.message}`);
      const expected = evaluate(value.slice(1, -1));
      expect({ example, value: evaluate(example) }).toEqual({ example, value: expected });
    }
  });

  test("every plan on the page loads", () => {
    const plans = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map(([, text]) => text!).filter((text) => text.includes("scenarios:"));
    expect(plans).toHaveLength(5);
    for (const plan of plans) expect(() => loadOk(plan, { BASE_URL: "http://127.0.0.1:8080" })).not.toThrow();
  });
});
