// Conditions for `if:` and `loop: { while: }`, compiled at load (docs/expressions.md "Conditions").
// Two forms:
// - one expression, `${vars.n < 5 && !contains(vars.body, 'error')}`: the whole string is one
//   `${...}` (config/expression/); the condition holds when its value is truthy (values.ts).
// - a bare condition, `${vars.count} < 5 && ${vars.token} != ''`: the older grammar below, kept
//   with its meaning, where templates are operands:
//
//   condition := or
//   or        := and ("||" and)*
//   and       := unary ("&&" unary)*
//   unary     := "!" unary | "(" or ")" | operand [op operand]
//   op        := == != < <= > >= contains matches
//   operand   := a quoted string ("..." or '...') or a bare word; both may hold ${...} templates
//
//   Comparisons are those of expressions (values.ts `compare`: numeric when both sides are
//   numbers, else on strings). `matches` takes a regular expression written literally (no
//   templates). An operand alone holds when it is truthy.
import type { Condition, TemplateScope, Template } from "./plan.ts";
import { compare, truthy, type ComparisonOp } from "./expression/values.ts";
import { compileTemplate, isWholeExpression, literalTemplate, shiftContext, type TemplateContext } from "./templates.ts";

type Op = ComparisonOp | "contains" | "matches";
type Token = { start: number } & (
  | { kind: "and" | "or" | "not" | "open" | "close" | "end" }
  | { kind: "op"; op: Op }
  | { kind: "operand"; text: string; quoted: boolean }
);
type Eval = (scope: TemplateScope) => boolean;

/** Compiles a condition; problems go to `ctx` (with their offset) and it then evaluates to false. */
export function compileCondition(source: string, ctx: TemplateContext): Condition {
  const never: Condition = { source, evaluate: () => false };
  let failed = false;
  const counting: TemplateContext = {
    ...ctx,
    error: (message, hint, offset) => {
      failed = true;
      ctx.error(message, hint, offset);
    },
  };
  const trimmed = source.trim();
  if (isWholeExpression(trimmed)) {
    const template = compileTemplate(trimmed, shiftContext(counting, source.indexOf(trimmed)));
    return failed ? never : { source, evaluate: (scope) => truthy(template.evaluate(scope)) };
  }
  const evaluate = compileBare(source, counting);
  return failed ? never : { source, evaluate };
}

function compileBare(source: string, ctx: TemplateContext): Eval {
  let failed = false;
  const fail = (message: string, offset: number): Eval => {
    if (!failed) ctx.error(`condition "${source}": ${message}`, 'e.g. "${vars.count < 5 && vars.token != \'\'}"', offset);
    failed = true;
    return () => false;
  };
  const tokens = tokenize(source);
  if (!Array.isArray(tokens)) return fail(tokens.message, tokens.offset);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const operand = (): Template | undefined => {
    const t = peek();
    if (t.kind !== "operand") return undefined;
    pos++;
    const at = t.start + (t.quoted ? 1 : 0);
    return t.text.includes("${") ? compileTemplate(t.text, shiftContext(ctx, at)) : literalTemplate(t.text);
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
      if (peek().kind !== "close") return fail('a "(" is not closed', t.start);
      pos++;
      return inner;
    }
    const left = operand();
    if (!left) return fail(t.kind === "end" ? "it ends where a value was expected" : "expected a value", t.start);
    const next = peek();
    if (next.kind !== "op") return (s) => truthy(left.evaluate(s));
    pos++;
    const op = next.op;
    const rightToken = peek();
    const right = operand();
    if (!right) return fail(`expected a value after ${op}`, rightToken.start);
    if (op === "matches") {
      if (!right.isStatic) return fail("the pattern after matches cannot use ${...}", rightToken.start);
      let re: RegExp;
      try {
        re = new RegExp(rightToken.kind === "operand" ? rightToken.text : "");
      } catch (e) {
        return fail(`bad regular expression: ${(e as Error).message}`, rightToken.start);
      }
      return (s) => re.test(left.render(s));
    }
    if (op === "contains") return (s) => left.render(s).includes(right.render(s));
    return (s) => compare(left.evaluate(s), op, right.evaluate(s));
  };
  const evaluate = parseOr();
  if (!failed && peek().kind !== "end") fail("unexpected text after the end of the condition", peek().start);
  return evaluate;
}

function tokenize(source: string): Token[] | { message: string; offset: number } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const start = i;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === "&&" || two === "||" || two === "==" || two === "!=" || two === "<=" || two === ">=") {
      tokens.push(two === "&&" ? { kind: "and", start } : two === "||" ? { kind: "or", start } : { kind: "op", op: two, start });
      i += 2;
      continue;
    }
    if (ch === "<" || ch === ">") tokens.push({ kind: "op", op: ch, start });
    else if (ch === "!") tokens.push({ kind: "not", start });
    else if (ch === "(") tokens.push({ kind: "open", start });
    else if (ch === ")") tokens.push({ kind: "close", start });
    else if (ch === '"' || ch === "'") {
      const end = source.indexOf(ch, i + 1);
      if (end < 0) return { message: `unclosed ${ch}`, offset: i };
      tokens.push({ kind: "operand", text: source.slice(i + 1, end), quoted: true, start });
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
      if (j === i) {
        // A lone '=', '&' or '|': no token starts here (without this the scan would not advance).
        const hint = ch === "=" ? "==" : ch === "&" ? "&&" : "||";
        return { message: `unexpected "${ch}" (did you mean "${hint}"?)`, offset: i };
      }
      const text = source.slice(i, j);
      if (text === "contains" || text === "matches") tokens.push({ kind: "op", op: text, start });
      else tokens.push({ kind: "operand", text, quoted: false, start });
      i = j;
      continue;
    }
    i++;
  }
  tokens.push({ kind: "end", start: source.length });
  return tokens;
}
