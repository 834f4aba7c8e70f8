// Problems inside a template point at the offending character of the YAML string, whatever the
// string's quoting (config/string-position.ts), end to end through loadPlan.
import { describe, expect, test } from "bun:test";
import { scalarOffsetLoc } from "../../../src/config/string-position.ts";
import { loadIssues, withFlow } from "./helpers.ts";

describe("scalarOffsetLoc", () => {
  const at = (text: string, line: number, column: number, offset: number) => {
    const { line: l, column: c } = scalarOffsetLoc(text, { file: "f", line, column }, offset);
    return `${l}:${c}`;
  };

  test("plain, single- and double-quoted scalars", () => {
    expect(at("a: ${x}\n", 1, 4, 2)).toBe("1:6");
    expect(at("a: '${x}'\n", 1, 4, 2)).toBe("1:7");
    expect(at('a: "${x}"\n', 1, 4, 2)).toBe("1:7");
    expect(at("x\nb: 'it''s ${y}'\n", 2, 4, 7)).toBe("2:13"); // '' is one character of the value
    expect(at('b: "\\t\\u00e9${y}"\n', 1, 4, 4)).toBe("1:15"); // \t and \u00e9 are one character each
  });

  test("block scalars and folded lines fall back to the scalar's start", () => {
    expect(at("a: |\n  ${x}\n", 1, 4, 2)).toBe("1:4");
    expect(at('a: "one\n  ${x}"\n', 1, 4, 6)).toBe("1:4");
  });
});

/** Each issue as "its message ← the plan text from its line:col on". */
function pointed(yaml: string): string[] {
  const lines = yaml.split("\n");
  return loadIssues(yaml).map((i) => `${i.message} ← ${lines[i.line - 1]!.slice(i.column - 1)}`);
}

describe("template problems through loadPlan", () => {
  test("each problem at its character, in every quoting style", () => {
    expect(
      pointed(
        withFlow(`- set:
    a: "\${vars.n +}"
    b: '\${lowr(vars.x)}'
    c: \${vars.x @ 1}
    d: "\\t\${vras.x}"
    e: 'it''s \${1 / 0}'`),
      ),
    ).toEqual([
      '${vars.n +}: the expression ends where a value was expected ← }"',
      `\${lowr(vars.x)}: unknown function "lowr"; did you mean "lower"? ← lowr(vars.x)}'`,
      '${vars.x @ 1}: unexpected character "@" ← @ 1}',
      '${vras.x}: unknown name "vras"; did you mean "vars"? ← vras.x}"',
      "${1 / 0}: division by zero ← / 0}'",
    ]);
  });

  test("a bare condition's problem is at its operand's character", () => {
    expect(pointed(withFlow(`- if: "\${vars.ok} && \${vars.n +} < 3"\n  then: [{ sleep: 1s }]`))).toEqual([
      '${vars.n +}: the expression ends where a value was expected ← } < 3"',
    ]);
  });

  test("an expression condition's problem is at its character", () => {
    expect(pointed(withFlow(`- loop: { while: "  \${vars.n < = 5}" }\n  steps: [{ sleep: 1s }]`))).toEqual([
      '${vars.n < = 5}: unexpected character "=": write "==" to compare ← = 5}" }',
    ]);
  });
});
