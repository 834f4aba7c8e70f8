// Property-based tests of the expression language (fast-check): printing then parsing a tree
// gives the tree back; no input makes the lexer, parser or template compiler throw (each returns
// or reports errors with a position inside the input); evaluation only ever fails with an
// ExpressionError and only ever returns checked values.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { BinaryOp, Node } from "../../../../src/config/expression/ast.ts";
import { FUNCTIONS } from "../../../../src/config/expression/functions.ts";
import { parseExpression } from "../../../../src/config/expression/parser.ts";
import { printExpression } from "../../../../src/config/expression/print.ts";
import { ExpressionError, MAX_NUMBER, MAX_STRING_LENGTH } from "../../../../src/config/expression/values.ts";
import type { TemplateScope, Value, VarValue } from "../../../../src/config/plan.ts";
import { compileTemplate, type TemplateContext } from "../../../../src/config/templates.ts";

const BINARY: BinaryOp[] = ["||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"];
const KEYWORDS = new Set(["true", "false", "null"]);

/** The tree without positions, for comparing trees parsed from different texts. */
function strip(node: Node): unknown {
  switch (node.kind) {
    case "literal":
      return { literal: node.value };
    case "ref":
      return { ref: node.path };
    case "call":
      return { call: node.name, args: node.args.map(strip) };
    case "unary":
      return { unary: node.op, operand: strip(node.operand) };
    case "binary":
      return { binary: node.op, left: strip(node.left), right: strip(node.right) };
  }
}

function trees(leaf: fc.Arbitrary<Node>, callNames: fc.Arbitrary<string>): fc.Arbitrary<Node> {
  const { node } = fc.letrec<{ node: Node; unary: Node; binary: Node; call: Node }>((tie) => ({
    node: fc.oneof({ maxDepth: 6, depthIdentifier: "expr" }, leaf, tie("unary"), tie("binary"), tie("call")),
    unary: fc.record({ kind: fc.constant("unary" as const), op: fc.constantFrom("!" as const, "-" as const), operand: tie("node"), start: fc.constant(0) }),
    binary: fc.record({
      kind: fc.constant("binary" as const),
      op: fc.constantFrom(...BINARY),
      left: tie("node"),
      right: tie("node"),
      start: fc.constant(0),
      at: fc.constant(0),
    }),
    call: fc.record({ kind: fc.constant("call" as const), name: callNames, args: fc.array(tie("node"), { maxLength: 3 }), start: fc.constant(0) }),
  }));
  return node;
}

const literal: fc.Arbitrary<Node> = fc.oneof(
  fc.nat().map((value) => ({ kind: "literal", value, start: 0 }) as Node),
  fc.double({ min: 0, max: 1e15, noNaN: true }).map((value) => ({ kind: "literal", value: Math.abs(value), start: 0 }) as Node),
  fc.string({ unit: "binary", maxLength: 12 }).map((value) => ({ kind: "literal", value, start: 0 }) as Node),
  fc.constantFrom<Value>(true, false, null).map((value) => ({ kind: "literal", value, start: 0 }) as Node),
);
const head = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/).filter((name) => !KEYWORDS.has(name));
const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/);
const anyRef: fc.Arbitrary<Node> = fc
  .tuple(head, fc.array(segment, { maxLength: 2 }))
  .map(([first, rest]) => ({ kind: "ref", path: [first, ...rest], start: 0 }) as Node);

/** Text of expression-like characters: mostly tokens, with some noise. */
const TOKENS = ["vars.a", "vars.s", "data.users.name", "env.N", "vu", "(", ")", ",", " ", "+", "-", "*", "/", "%", "!", "&&", "||", "==", "!=", "<", "<=", ">", ">=", "1", "0", "2.5", "'x'", '"}"', "'", '"', "\\", "lower(", "substr(", "randomInt(", "uuid", "true", "null", "=", "&", "|", "$", "{", "}", "${", "."];
const expressionish = fc.string({ unit: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ unit: "binary", maxLength: 1 })), maxLength: 30 });

function context() {
  const offsets: number[] = [];
  const ctx: TemplateContext = {
    env: { N: "7" },
    mode: "run",
    feeds: new Map([["users", ["name"]]]),
    runtime: true,
    error: (_m, _h, offset) => offsets.push(offset ?? -1),
    warn: (_m, _h, offset) => offsets.push(offset ?? -1),
  };
  return { ctx, offsets };
}

const RUNS = { numRuns: 400 };

describe("expression properties", () => {
  test("parse ∘ print is the identity on trees", () => {
    fc.assert(
      fc.property(trees(fc.oneof(literal, anyRef), head), (tree) => {
        const printed = printExpression(tree);
        const parsed = parseExpression(printed);
        if (!parsed.ok) throw new Error(`${printed}: ${parsed.error.message} at ${parsed.error.offset}`);
        expect(strip(parsed.node)).toEqual(strip(tree));
      }),
      RUNS,
    );
  });

  test("print ∘ parse is stable: what parses prints to text that parses to the same tree", () => {
    fc.assert(
      fc.property(expressionish, (text) => {
        const first = parseExpression(text);
        if (!first.ok) return;
        const again = parseExpression(printExpression(first.node));
        expect(again.ok).toBe(true);
        if (again.ok) expect(strip(again.node)).toEqual(strip(first.node));
      }),
      RUNS,
    );
  });

  test("the parser never throws: a tree, or an error with an offset inside the text", () => {
    fc.assert(
      fc.property(fc.oneof(expressionish, fc.string({ unit: "binary", maxLength: 40 })), (text) => {
        const result = parseExpression(text);
        if (!result.ok) {
          expect(result.error).toBeInstanceOf(ExpressionError);
          expect(result.error.offset).toBeGreaterThanOrEqual(0);
          expect(result.error.offset).toBeLessThanOrEqual(text.length);
        }
      }),
      RUNS,
    );
  });

  test("compiling any template string never throws; every problem has an offset inside the string", () => {
    fc.assert(
      fc.property(fc.oneof(expressionish, expressionish.map((t) => `a\${${t}}b`), expressionish.map((t) => `\${${t}`)), (source) => {
        const { ctx, offsets } = context();
        const template = compileTemplate(source, ctx);
        expect(typeof template.source).toBe("string");
        for (const offset of offsets) {
          expect(offset).toBeGreaterThanOrEqual(0);
          expect(offset).toBeLessThanOrEqual(source.length);
        }
      }),
      RUNS,
    );
  });

  test("evaluation returns a checked value or throws an ExpressionError, never anything else", () => {
    const knownRef = fc.constantFrom<Node>(
      ...["vars.a", "vars.b", "vars.s", "vars.unset", "data.users.name", "env.N", "vu", "iteration", "scenario"].map(
        (text) => ({ kind: "ref", path: text.split("."), start: 0 }) as Node,
      ),
    );
    const smallLiteral = fc.oneof(
      fc.integer({ min: -5, max: 5 }).map((value) => ({ kind: "literal", value: Math.abs(value), start: 0 }) as Node),
      fc.constantFrom<Value>("", "0", "12", "abc", " 3 ", "1e400", "-", true, false, null).map((value) => ({ kind: "literal", value, start: 0 }) as Node),
    );
    // What a variable can hold: strings, booleans and numbers within ±MAX_NUMBER (set: checks them).
    const varValue: fc.Arbitrary<VarValue> = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.integer({ min: -MAX_NUMBER, max: MAX_NUMBER }),
      fc.double({ min: -MAX_NUMBER, max: MAX_NUMBER, noNaN: true }),
      fc.boolean(),
      fc.constantFrom(MAX_NUMBER, -MAX_NUMBER, 0),
    );
    fc.assert(
      fc.property(trees(fc.oneof(knownRef, smallLiteral), fc.constantFrom(...Object.keys(FUNCTIONS))), varValue, varValue, fc.string({ maxLength: 8 }), (tree, a, b, s) => {
        const { ctx } = context();
        const template = compileTemplate(`\${${printExpression(tree)}}`, ctx);
        const scope: TemplateScope = {
          vars: Object.assign(Object.create(null), { a, b, s }),
          data: { users: { name: "Ann" } },
          vu: 1,
          iteration: 0,
          scenario: "s",
        };
        let result: Value;
        try {
          result = template.evaluate(scope);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionError);
          return;
        }
        if (typeof result === "number") {
          expect(Number.isFinite(result)).toBe(true);
          expect(Math.abs(result)).toBeLessThanOrEqual(MAX_NUMBER);
        }
        if (typeof result === "string") expect(result.length).toBeLessThanOrEqual(MAX_STRING_LENGTH);
      }),
      RUNS,
    );
  });
});
