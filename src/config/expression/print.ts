// Prints a syntax tree back as expression text, with the fewest parentheses ast.ts LEVELS needs.
// For every tree the parser makes, parsing the printed text gives the same tree (positions
// aside): test/unit/config/expression-properties.test.ts checks it. Used by messages and tests.
import { levelOf, LEVELS, type Node } from "./ast.ts";

const TIGHT = LEVELS.length;

export function printExpression(node: Node): string {
  switch (node.kind) {
    case "literal":
      return typeof node.value === "string" ? quote(node.value) : String(node.value);
    case "ref":
      return node.path.join(".");
    case "call":
      return `${node.name}(${node.args.map(printExpression).join(", ")})`;
    case "unary":
      return `${node.op}${wrap(node.operand, TIGHT)}`;
    case "binary": {
      const level = levelOf(node.op);
      const chains = LEVELS[level]!.chains;
      const left = precedence(node.left) < level || (!chains && precedence(node.left) === level) ? `(${printExpression(node.left)})` : printExpression(node.left);
      const right = precedence(node.right) <= level ? `(${printExpression(node.right)})` : printExpression(node.right);
      return `${left} ${node.op} ${right}`;
    }
  }
}

function precedence(node: Node): number {
  return node.kind === "binary" ? levelOf(node.op) : TIGHT;
}

function wrap(node: Node, level: number): string {
  return precedence(node) < level ? `(${printExpression(node)})` : printExpression(node);
}

function quote(text: string): string {
  return `'${text.replace(/[\\'\n\t\r]/g, (c) => (c === "\n" ? "\\n" : c === "\t" ? "\\t" : c === "\r" ? "\\r" : `\\${c}`))}'`;
}
