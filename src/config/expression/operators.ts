// The operators' run-time semantics (docs/expressions.md "Types and conversions"): a binary node's
// function of its operands' functions. Called per evaluation on the VU's task; throws
// ExpressionError at the operator's offset for what a run reveals (a division by zero, a number
// past ±2^53, arithmetic on what is not a number, a string past MAX_STRING_LENGTH).
import type { TemplateScope, Value } from "../plan.ts";
import type { Node } from "./ast.ts";
import { printExpression } from "./print.ts";
import { checkLength, checkNumber, compare, describe, ExpressionError, render, toNumber, truthy } from "./values.ts";

/** An expression compiled to a function of the VU's scope. */
export type Run = (scope: TemplateScope) => Value;

/** The function of a unary node, given its operand's function. */
export function unary(node: Node & { kind: "unary" }, operand: Run): Run {
  if (node.op === "!") return (s) => !truthy(operand(s));
  const { start } = node;
  const what = `the operand of "-" (${printExpression(node.operand)})`;
  return (s) => checkNumber(-toNumber(operand(s), what, start), "the negation", start);
}

/** The function of a binary node, given its operands' functions. */
export function binary(node: Node & { kind: "binary" }, left: Run, right: Run): Run {
  const { op, at } = node;
  const side = (which: "left" | "right") => `the ${which} side of "${op}" (${printExpression(which === "left" ? node.left : node.right)})`;
  switch (op) {
    case "||":
      return (s) => truthy(left(s)) || truthy(right(s));
    case "&&":
      return (s) => truthy(left(s)) && truthy(right(s));
    case "==":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=":
      return (s) => compare(left(s), op, right(s));
    case "+":
      return (s) => {
        const l = left(s);
        const r = right(s);
        if (typeof l === "string" || typeof r === "string") return join(render(l), render(r), at);
        if (typeof l !== "number") throw plusError(side("left"), l, at);
        if (typeof r !== "number") throw plusError(side("right"), r, at);
        return checkNumber(l + r, "the sum", at);
      };
    default:
      return arithmetic(node, left, right, side("left"), side("right"));
  }
}

/** `a + b`, refused before it is built when it would pass MAX_STRING_LENGTH. */
function join(a: string, b: string, at: number): string {
  checkLength(a.length + b.length, "the joined string", at);
  return a + b;
}

function plusError(what: string, value: Value, at: number): ExpressionError {
  const unset = value === null ? " (an unset variable is null)" : "";
  return new ExpressionError(`"+" adds numbers or joins strings; ${what} is ${describe(value)}${unset}`, at);
}

function arithmetic(node: Node & { kind: "binary" }, left: Run, right: Run, l: string, r: string): Run {
  const { op, at } = node;
  const divides = op === "/" || op === "%";
  const compute: (x: number, y: number) => number = op === "-" ? (x, y) => x - y : op === "*" ? (x, y) => x * y : op === "/" ? (x, y) => x / y : (x, y) => x % y;
  const what = op === "-" ? "the difference" : op === "*" ? "the product" : op === "/" ? "the quotient" : "the remainder";
  const zero = node.right.kind === "literal" ? "division by zero" : `division by zero (${printExpression(node.right)} is 0)`;
  return (s) => {
    const x = toNumber(left(s), l, at);
    const y = toNumber(right(s), r, at);
    if (divides && y === 0) throw new ExpressionError(zero, at);
    return checkNumber(compute(x, y), what, at);
  };
}
