// k6's `sleep(x)` → a loadr `sleep` step: a fixed time, or a { min, max } range for the random
// sleeps k6 scripts write (`Math.random() * 3`, `1 + Math.random()`, `randomIntBetween(1, 5)`).
import type { Node } from "acorn";
import type { K6Context, Scope } from "./context.ts";
import { isMathRandom, valueOf } from "./expressions.ts";

type AnyNode = Node & Record<string, any>;
type Step = Record<string, unknown>;

/** The step a `sleep(…)` call becomes; none (and a note) when its time is computed. */
export function sleepSteps(e: AnyNode, scope: Scope, cx: K6Context): Step[] {
  const arg: AnyNode | undefined = e.arguments[0];
  const fixed = arg ? valueOf(arg, scope, cx) : undefined;
  if (fixed?.kind === "number" && fixed.value >= 0) {
    cx.note("mapped", `sleep(${cx.code(arg!)})`, e);
    return [{ sleep: seconds(fixed.value) }];
  }
  const range = arg ? sleepRange(arg, scope, cx) : undefined;
  if (range) {
    cx.note("mapped", `sleep(${cx.snippet(arg!, 50)})`, e, range.detail);
    return [{ sleep: { min: seconds(range.min), max: seconds(range.max) } }];
  }
  cx.note("dropped", `sleep(${arg ? cx.snippet(arg, 50) : ""})`, e, "a computed sleep: loadr sleeps take a fixed time or a { min, max } range");
  return [];
}

/** Seconds as a loadr duration: `1s`, `500ms`, `1.25s` → `1250ms`. */
function seconds(s: number): string {
  if (Number.isInteger(s)) return `${s}s`;
  const ms = Math.round(s * 1000);
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** `Math.random() * A (+ B)`, `A + Math.random() * B`, `randomIntBetween(a, b)` → [min, max] seconds. */
function sleepRange(node: AnyNode, scope: Scope, cx: K6Context): { min: number; max: number; detail?: string } | undefined {
  const num = (n: AnyNode) => {
    const v = valueOf(n, scope, cx);
    return v?.kind === "number" ? v.value : undefined;
  };
  if (node.type === "CallExpression" && node.callee.type === "Identifier") {
    const imported = scope.get(node.callee.name)?.value;
    if (imported?.kind === "import" && imported.name === "randomIntBetween" && node.arguments.length === 2) {
      const [a, b] = node.arguments.map(num);
      if (a !== undefined && b !== undefined && a <= b && a >= 0) return { min: a, max: b, detail: "k6 picks whole seconds; loadr any time in the range" };
    }
  }
  if (node.type === "BinaryExpression" && node.operator === "+") {
    const left = sleepRange(node.left, scope, cx);
    const right = num(node.right);
    if (left && right !== undefined) return { min: left.min + right, max: left.max + right };
    const r = sleepRange(node.right, scope, cx);
    const l = num(node.left);
    if (r && l !== undefined) return { min: r.min + l, max: r.max + l };
    return undefined;
  }
  if (node.type === "BinaryExpression" && node.operator === "*") {
    const factor = isMathRandom(node.left) ? num(node.right) : isMathRandom(node.right) ? num(node.left) : undefined;
    if (factor !== undefined && factor >= 0) return { min: 0, max: factor };
  }
  if (isMathRandom(node)) return { min: 0, max: 1 };
  return undefined;
}
