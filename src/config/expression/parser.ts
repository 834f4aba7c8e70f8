// The expression parser: tokens (lexer.ts) into a syntax tree (ast.ts), by precedence climbing
// over ast.ts LEVELS. Pure and total: it returns a tree or one error with an offset, never
// throws; nesting deeper than MAX_DEPTH is an error, so recursion stays bounded.
//
//   expression := level0
//   levelN     := levelN+1 (OP_N levelN+1)*      (one OP_N at most where the level does not chain)
//   level6     := unary
//   unary      := ("!" | "-") unary | primary
//   primary    := NUMBER | STRING | "true" | "false" | "null" | path | NAME "(" [expression ("," expression)*] ")"
//               | "(" expression ")"
import { LEVELS, type BinaryOp, type Node } from "./ast.ts";
import { lex, type Token } from "./lexer.ts";
import { ExpressionError } from "./values.ts";

/** The deepest nesting of parentheses, calls and unary operators. */
export const MAX_DEPTH = 32;

type ParseResult = { ok: true; node: Node } | { ok: false; error: ExpressionError };

const LITERALS: Readonly<Record<string, boolean | null>> = { true: true, false: false, null: null };

/** Parses a whole string as one expression (no `${`/`}` around it). */
export function parseExpression(text: string): ParseResult {
  const lexed = lex(text, 0, false);
  return lexed.ok ? parseTokens(lexed.tokens) : { ok: false, error: lexed.error };
}

/** Parses a token list that ends with an `end` token (as lex returns it). */
export function parseTokens(tokens: readonly Token[]): ParseResult {
  let pos = 0;
  let depth = 0;
  const peek = (): Token => tokens[pos] ?? tokens[tokens.length - 1]!;
  const fail = (message: string, offset: number): never => {
    throw new ExpressionError(message, offset);
  };
  const isOp = (token: Token, op: string): boolean => token.kind === "op" && token.op === op;
  const describe = (token: Token): string => (token.kind === "end" ? "the end" : `"${tokenText(token)}"`);
  const enter = (offset: number) => {
    if (++depth > MAX_DEPTH) fail(`the expression is nested more than ${MAX_DEPTH} levels deep`, offset);
  };

  const parseLevel = (level: number): Node => {
    if (level === LEVELS.length) return parseUnary();
    const { ops, chains } = LEVELS[level]!;
    let left = parseLevel(level + 1);
    let seen = 0;
    for (;;) {
      const token = peek();
      if (token.kind !== "op" || !(ops as readonly string[]).includes(token.op)) return left;
      const op = token.op as BinaryOp;
      if (!chains && seen > 0) fail(`comparisons do not chain: write "a ${op} b && b ${op} c", or use parentheses`, token.start);
      pos++;
      const right = parseLevel(level + 1);
      left = { kind: "binary", op, left, right, start: left.start, at: token.start };
      seen++;
    }
  };

  const parseUnary = (): Node => {
    const token = peek();
    if (isOp(token, "!") || isOp(token, "-")) {
      pos++;
      enter(token.start);
      const operand = parseUnary();
      depth--;
      return { kind: "unary", op: (token as { op: "!" | "-" }).op, operand, start: token.start };
    }
    return parsePrimary();
  };

  const parsePrimary = (): Node => {
    const token = peek();
    switch (token.kind) {
      case "number":
      case "string":
        pos++;
        return { kind: "literal", value: token.value, start: token.start };
      case "name": {
        pos++;
        const [head] = token.path as [string];
        if (isOp(peek(), "(")) {
          if (token.path.length > 1) fail(`${token.path.join(".")} is not a function`, token.start);
          return parseCall(head, token.start);
        }
        if (token.path.length === 1 && Object.hasOwn(LITERALS, head)) return { kind: "literal", value: LITERALS[head]!, start: token.start };
        return { kind: "ref", path: token.path, start: token.start };
      }
      case "op":
        if (token.op === "(") {
          pos++;
          enter(token.start);
          const inner = parseLevel(0);
          depth--;
          if (!isOp(peek(), ")")) fail(`expected ")" to close the "(" here, found ${describe(peek())}`, token.start);
          pos++;
          return inner;
        }
        return fail(`expected a value, found ${describe(token)}`, token.start);
      case "end":
        return fail(pos === 0 ? "the expression is empty" : "the expression ends where a value was expected", token.start);
    }
  };

  const parseCall = (name: string, start: number): Node => {
    const open = peek();
    pos++;
    enter(open.start);
    const args: Node[] = [];
    if (!isOp(peek(), ")")) {
      for (;;) {
        args.push(parseLevel(0));
        if (isOp(peek(), ",")) {
          pos++;
          continue;
        }
        if (isOp(peek(), ")")) break;
        fail(`expected "," or ")" in the arguments of ${name}(, found ${describe(peek())}`, peek().start);
      }
    }
    pos++;
    depth--;
    return { kind: "call", name, args, start };
  };

  try {
    const node = parseLevel(0);
    const rest = peek();
    if (rest.kind !== "end") {
      const hint = rest.kind === "op" ? "" : " (an operator is missing?)";
      fail(`unexpected ${describe(rest)} after a complete expression${hint}`, rest.start);
    }
    return { ok: true, node };
  } catch (error) {
    if (error instanceof ExpressionError) return { ok: false, error };
    throw error;
  }
}

function tokenText(token: Token): string {
  switch (token.kind) {
    case "number":
      return String(token.value);
    case "string":
      return token.value;
    case "name":
      return token.path.join(".");
    case "op":
      return token.op;
    case "end":
      return "";
  }
}
