// Conditions for `if:` and `loop: { while: }`, compiled at load. The grammar, small on purpose:
//
//   condition := or
//   or        := and ("||" and)*
//   and       := unary ("&&" unary)*
//   unary     := "!" unary | "(" or ")" | operand [op operand]
//   op        := == != < <= > >= contains matches
//   operand   := a quoted string ("..." or '...') or a bare word; both may hold ${...} templates
//
// Comparisons are numeric when both sides are numbers, else on strings. `matches` takes a
// regular expression written literally (no templates). An operand alone is true when it is not
// empty and not "false" or "0".
import type { Condition, TemplateScope, Template } from "./plan.ts";
import { compileTemplate, literalTemplate, type TemplateContext } from "./templates.ts";

type Op = "==" | "!=" | "<" | "<=" | ">" | ">=" | "contains" | "matches";
type Token =
  | { kind: "and" | "or" | "not" | "open" | "close" | "end" }
  | { kind: "op"; op: Op }
  | { kind: "operand"; text: string; quoted: boolean };
type Eval = (scope: TemplateScope) => boolean;

export function truthy(value: string): boolean {
  return value !== "" && value !== "false" && value !== "0";
}

function tokenize(source: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === "&&" || two === "||" || two === "==" || two === "!=" || two === "<=" || two === ">=") {
      tokens.push(two === "&&" ? { kind: "and" } : two === "||" ? { kind: "or" } : { kind: "op", op: two });
      i += 2;
      continue;
    }
    if (ch === "<" || ch === ">") tokens.push({ kind: "op", op: ch });
    else if (ch === "!") tokens.push({ kind: "not" });
    else if (ch === "(") tokens.push({ kind: "open" });
    else if (ch === ")") tokens.push({ kind: "close" });
    else if (ch === '"' || ch === "'") {
      const end = source.indexOf(ch, i + 1);
      if (end < 0) return `unclosed ${ch} at position ${i + 1}`;
      tokens.push({ kind: "operand", text: source.slice(i + 1, end), quoted: true });
      i = end + 1;
      continue;
    } else {
      // A bare word runs to whitespace or an operator character; ${...} is taken whole.
      let j = i;
      while (j < source.length && !/[\s<>=!()&|"']/.test(source[j]!)) {
        if (source.startsWith("${", j)) {
          const close = source.indexOf("}", j);
          j = close < 0 ? source.length : close + 1;
        } else j++;
      }
      const text = source.slice(i, j);
      if (text === "contains" || text === "matches") tokens.push({ kind: "op", op: text });
      else tokens.push({ kind: "operand", text, quoted: false });
      i = j;
      continue;
    }
    i++;
  }
  tokens.push({ kind: "end" });
  return tokens;
}

/** Compiles a condition; problems go to `ctx` and the result then evaluates to false. */
export function compileCondition(source: string, ctx: TemplateContext): Condition {
  const never: Condition = { source, evaluate: () => false };
  const tokens = tokenize(source);
  if (typeof tokens === "string") {
    ctx.error(`condition "${source}": ${tokens}`);
    return never;
  }
  let pos = 0;
  let failed = false;
  const peek = () => tokens[pos]!;
  const fail = (message: string): Eval => {
    if (!failed) ctx.error(`condition "${source}": ${message}`, 'e.g. "${vars.count} < 5 && ${vars.token} != \'\'"');
    failed = true;
    return () => false;
  };
  const operand = (): Template | undefined => {
    const t = peek();
    if (t.kind !== "operand") return undefined;
    pos++;
    return t.text.includes("${") ? compileTemplate(t.text, ctx) : literalTemplate(t.text);
  };
  const parseOr = (): Eval => {
    let left = parseAnd();
    while (peek().kind === "or") {
      pos++;
      const l = left;
      const r = parseAnd();
      left = (s) => l(s) || r(s);
    }
    return left;
  };
  const parseAnd = (): Eval => {
    let left = parseUnary();
    while (peek().kind === "and") {
      pos++;
      const l = left;
      const r = parseUnary();
      left = (s) => l(s) && r(s);
    }
    return left;
  };
  const parseUnary = (): Eval => {
    const t = peek();
    if (t.kind === "not") {
      pos++;
      const inner = parseUnary();
      return (s) => !inner(s);
    }
    if (t.kind === "open") {
      pos++;
      const inner = parseOr();
      if (peek().kind !== "close") return fail('a "(" is not closed');
      pos++;
      return inner;
    }
    const left = operand();
    if (!left) return fail(t.kind === "end" ? "it ends where a value was expected" : "expected a value");
    const next = peek();
    if (next.kind !== "op") return (s) => truthy(left.render(s));
    pos++;
    const op = next.op;
    const rightToken = peek();
    const right = operand();
    if (!right) return fail(`expected a value after ${op}`);
    if (op === "matches") {
      if (!right.isStatic) return fail("the pattern after matches cannot use ${...}");
      let re: RegExp;
      try {
        re = new RegExp(rightToken.kind === "operand" ? rightToken.text : "");
      } catch (e) {
        return fail(`bad regular expression: ${(e as Error).message}`);
      }
      return (s) => re.test(left.render(s));
    }
    return (s) => compare(left.render(s), op, right.render(s));
  };
  const evaluate = parseOr();
  if (!failed && peek().kind !== "end") fail("unexpected text after the end of the condition");
  return failed ? never : { source, evaluate };
}

function asNumber(text: string): number | undefined {
  if (text.trim() === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export function compare(a: string, op: Op, b: string): boolean {
  if (op === "contains") return a.includes(b);
  const x = asNumber(a);
  const y = asNumber(b);
  const [l, r]: [number | string, number | string] = x !== undefined && y !== undefined ? [x, y] : [a, b];
  switch (op) {
    case "==":
      return l === r;
    case "!=":
      return l !== r;
    case "<":
      return l < r;
    case "<=":
      return l <= r;
    case ">":
      return l > r;
    case ">=":
      return l >= r;
  }
  return false;
}
