// The syntax tree of an expression, and the operator table the parser and the printer share.
// Every node carries `start`, the offset of its first character (for a binary node, `at` is its
// operator's) into the text it was parsed from, so load and run errors can point at it.
import type { Value } from "../plan.ts";

export type BinaryOp = "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%";
type UnaryOp = "!" | "-";

export type Node =
  | { kind: "literal"; value: Value; start: number }
  /** `vars.x`, `data.feed.col`, `env.NAME`, `vu`, ...: the dotted path as written. */
  | { kind: "ref"; path: readonly string[]; start: number }
  | { kind: "call"; name: string; args: readonly Node[]; start: number }
  | { kind: "unary"; op: UnaryOp; operand: Node; start: number }
  | { kind: "binary"; op: BinaryOp; left: Node; right: Node; start: number; at: number };

/**
 * Binary operators by precedence level, loosest first. Levels marked `chains: false` do not
 * associate (`a < b < c` is an error, as it rarely means what it says); the others are left-
 * associative. Unary `!` and `-` bind tighter than every binary operator.
 */
export const LEVELS: ReadonlyArray<{ ops: readonly BinaryOp[]; chains: boolean }> = [
  { ops: ["||"], chains: true },
  { ops: ["&&"], chains: true },
  { ops: ["==", "!="], chains: false },
  { ops: ["<", "<=", ">", ">="], chains: false },
  { ops: ["+", "-"], chains: true },
  { ops: ["*", "/", "%"], chains: true },
];

/** The precedence level of a binary operator (an index into LEVELS). */
export function levelOf(op: BinaryOp): number {
  return LEVELS.findIndex((level) => level.ops.includes(op));
}
