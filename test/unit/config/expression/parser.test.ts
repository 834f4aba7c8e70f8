import { describe, expect, test } from "bun:test";
import type { Node } from "../../../../src/config/expression/ast.ts";
import { MAX_DEPTH, parseExpression } from "../../../../src/config/expression/parser.ts";
import { printExpression } from "../../../../src/config/expression/print.ts";

/** The tree with every operator made explicit by parentheses. */
function shape(node: Node): string {
  switch (node.kind) {
    case "literal":
      return JSON.stringify(node.value);
    case "ref":
      return node.path.join(".");
    case "call":
      return `${node.name}(${node.args.map(shape).join(", ")})`;
    case "unary":
      return `(${node.op}${shape(node.operand)})`;
    case "binary":
      return `(${shape(node.left)} ${node.op} ${shape(node.right)})`;
  }
}

const parse = (text: string) => {
  const result = parseExpression(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message} at ${result.error.offset}`);
  return result.node;
};
const failure = (text: string) => {
  const result = parseExpression(text);
  if (result.ok) throw new Error(`expected ${text} to fail`);
  return { message: result.error.message, offset: result.error.offset };
};

describe("the expression parser", () => {
  test("precedence: * over +, + over comparisons, comparisons over &&, && over ||", () => {
    expect(shape(parse("1 + 2 * 3"))).toBe("(1 + (2 * 3))");
    expect(shape(parse("vars.a + 1 < 5 && vars.b || !vars.c"))).toBe("((((vars.a + 1) < 5) && vars.b) || (!vars.c))");
    expect(shape(parse("a == b < c"))).toBe("(a == (b < c))");
    expect(shape(parse("-x * 2"))).toBe("((-x) * 2)");
    expect(shape(parse("!a == b"))).toBe("((!a) == b)");
  });

  test("left associativity of + - * / % && ||", () => {
    expect(shape(parse("10 - 4 - 3"))).toBe("((10 - 4) - 3)");
    expect(shape(parse("8 / 4 / 2"))).toBe("((8 / 4) / 2)");
    expect(shape(parse("a || b || c"))).toBe("((a || b) || c)");
  });

  test("parentheses, calls, literals and references", () => {
    expect(shape(parse("(1 + 2) * 3"))).toBe("((1 + 2) * 3)");
    expect(shape(parse("substr(lower(vars.s), 0, len(data.f.c) - 1)"))).toBe("substr(lower(vars.s), 0, (len(data.f.c) - 1))");
    expect(shape(parse("uuid()"))).toBe("uuid()");
    expect(shape(parse("true != false && null == ''"))).toBe('((true != false) && (null == ""))');
  });

  test("each node knows where it starts; a binary node where its operator is", () => {
    const node = parse("vars.a  +  f(x)");
    expect(node).toMatchObject({ kind: "binary", start: 0, at: 8, right: { kind: "call", start: 11, args: [{ start: 13 }] } });
  });

  test("comparisons do not chain", () => {
    expect(failure("a < b < c")).toEqual({ offset: 6, message: 'comparisons do not chain: write "a < b && b < c", or use parentheses' });
    expect(failure("a == b != c").offset).toBe(7);
    expect(shape(parse("(a < b) == (b < c)"))).toBe("((a < b) == (b < c))");
  });

  test("errors say what was expected, at the offending token", () => {
    expect(failure("")).toEqual({ offset: 0, message: "the expression is empty" });
    expect(failure("vars.n +")).toEqual({ offset: 8, message: "the expression ends where a value was expected" });
    expect(failure("(1 + 2")).toEqual({ offset: 0, message: 'expected ")" to close the "(" here, found the end' });
    expect(failure("f(1 2)")).toEqual({ offset: 4, message: 'expected "," or ")" in the arguments of f(, found "2"' });
    expect(failure("vars.n 1")).toEqual({ offset: 7, message: 'unexpected "1" after a complete expression (an operator is missing?)' });
    expect(failure("vars.x(1)")).toEqual({ offset: 0, message: "vars.x is not a function" });
    expect(failure("* 2")).toEqual({ offset: 0, message: 'expected a value, found "*"' });
    expect(failure("a @ b").offset).toBe(2); // a lexer error comes through with its offset
  });

  test(`nesting deeper than ${MAX_DEPTH} is an error, not a stack overflow`, () => {
    expect(parseExpression(`${"(".repeat(MAX_DEPTH)}1${")".repeat(MAX_DEPTH)}`).ok).toBe(true);
    expect(failure(`${"(".repeat(MAX_DEPTH + 1)}1${")".repeat(MAX_DEPTH + 1)}`)).toEqual({
      offset: MAX_DEPTH,
      message: `the expression is nested more than ${MAX_DEPTH} levels deep`,
    });
    expect(failure(`${"!".repeat(MAX_DEPTH + 1)}x`).message).toContain("nested more than");
    expect(failure(`${"f(".repeat(MAX_DEPTH + 1)}1${")".repeat(MAX_DEPTH + 1)}`).message).toContain("nested more than");
  });
});

describe("the printer", () => {
  test("prints the fewest parentheses that keep the tree", () => {
    const cases: Array<[string, string]> = [
      ["(1 + 2) * 3", "(1 + 2) * 3"],
      ["1 + (2 * 3)", "1 + 2 * 3"],
      ["10 - (4 - 3)", "10 - (4 - 3)"],
      ["(10 - 4) - 3", "10 - 4 - 3"],
      ["(a < b) == c", "a < b == c"],
      ["(a == b) != c", "(a == b) != c"],
      ["!(a && b)", "!(a && b)"],
      ["-(-x)", "--x"],
      ["f( 'it\\'s' ,\"x\\ny\" )", "f('it\\'s', 'x\\ny')"],
      ["vars.user-id + 1.5", "vars.user-id + 1.5"],
    ];
    for (const [source, printed] of cases) {
      expect(printExpression(parse(source))).toBe(printed);
      expect(shape(parse(printed))).toBe(shape(parse(source)));
    }
  });
});
