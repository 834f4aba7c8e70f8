// The expression lexer: the text after a template's `${` up to its closing `}` (or a whole string)
// into tokens, each with its offset into that text, so every error points at its character.
// Pure, total: for any input it returns tokens or one error with an offset; it never throws.
// The work is bounded by MAX_EXPRESSION_LENGTH characters per expression.
import { checkNumber, ExpressionError } from "./values.ts";

/** The longest expression (characters between `${` and `}`). */
export const MAX_EXPRESSION_LENGTH = 2048;

const OPERATORS = ["||", "&&", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "!", "(", ")", ","] as const;
type Operator = (typeof OPERATORS)[number];

export type Token =
  | { kind: "number"; value: number; start: number; end: number }
  | { kind: "string"; value: string; start: number; end: number }
  /** A name, or a dotted path of names (`vars.user-id`): segments after a dot may hold `-`. */
  | { kind: "name"; path: string[]; start: number; end: number }
  | { kind: "op"; op: Operator; start: number; end: number }
  /** The closing `}` (templates) or the end of the text. */
  | { kind: "end"; start: number; end: number };

type LexResult =
  | { ok: true; tokens: Token[]; end: number }
  /** `end`: where scanning may resume (the next `}` or the end of the text). */
  | { ok: false; error: ExpressionError; end: number };

const HEAD = /[A-Za-z_]/;
const WORD = /[A-Za-z0-9_]/;
const SEGMENT = /[A-Za-z0-9_-]/;
const DIGIT = /[0-9]/;
const ESCAPES: Readonly<Record<string, string>> = { "\\": "\\", "'": "'", '"': '"', n: "\n", t: "\t", r: "\r" };
const MISTAKES: Readonly<Record<string, string>> = {
  "=": 'write "==" to compare',
  "&": 'write "&&" for "and"',
  "|": 'write "||" for "or"',
  $: "templates do not nest: inside ${…} write vars.x, not ${vars.x}",
};

/**
 * Lexes `text` from `from`. With `closeAtBrace` (a template), an unquoted `}` ends the expression
 * and a missing one is an error; without it, the whole rest of the text is the expression.
 */
export function lex(text: string, from: number, closeAtBrace: boolean): LexResult {
  const tokens: Token[] = [];
  const resume = (at: number) => {
    const close = closeAtBrace ? text.indexOf("}", at) : -1;
    return close < 0 ? text.length : close;
  };
  const fail = (message: string, offset: number, resumeAt = offset): LexResult => ({
    ok: false,
    error: new ExpressionError(message, offset),
    end: resume(resumeAt),
  });
  let i = from;
  while (i < text.length) {
    if (i - from >= MAX_EXPRESSION_LENGTH) {
      return fail(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters; split it with set:`, from);
    }
    const ch = text[i]!;
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
      continue;
    }
    if (ch === "}" && closeAtBrace) {
      tokens.push({ kind: "end", start: i, end: i + 1 });
      return { ok: true, tokens, end: i };
    }
    if (DIGIT.test(ch)) {
      let j = i;
      while (j < text.length && DIGIT.test(text[j]!)) j++;
      if (text[j] === "." && DIGIT.test(text[j + 1] ?? "")) {
        j++;
        while (j < text.length && DIGIT.test(text[j]!)) j++;
      }
      if ((text[j] === "e" || text[j] === "E") && /[0-9]/.test((text[j + 1] === "+" || text[j + 1] === "-" ? text[j + 2] : text[j + 1]) ?? "")) {
        j += text[j + 1] === "+" || text[j + 1] === "-" ? 2 : 1;
        while (j < text.length && DIGIT.test(text[j]!)) j++;
      }
      if (j < text.length && (WORD.test(text[j]!) || text[j] === ".")) return fail(`"${text.slice(i, j + 1)}" is not a number`, i, j);
      const value = Number(text.slice(i, j));
      try {
        checkNumber(value, `the number ${text.slice(i, j)}`, i);
      } catch (error) {
        return { ok: false, error: error as ExpressionError, end: resume(j) };
      }
      tokens.push({ kind: "number", value, start: i, end: j });
      i = j;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) return fail(`the string starting here is not closed with ${ch}`, i, text.length);
        const c = text[j]!;
        if (c === ch) break;
        if (c === "\\") {
          const next = text[j + 1];
          const escaped = next === undefined ? undefined : ESCAPES[next];
          if (escaped === undefined) return fail(`unknown escape "\\${next ?? ""}" in a string (known: \\\\ \\' \\" \\n \\t \\r)`, j, j + 2);
          value += escaped;
          j += 2;
          continue;
        }
        value += c;
        j++;
      }
      tokens.push({ kind: "string", value, start: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (HEAD.test(ch)) {
      let j = i;
      while (j < text.length && WORD.test(text[j]!)) j++;
      const path = [text.slice(i, j)];
      while (text[j] === ".") {
        let k = j + 1;
        while (k < text.length && SEGMENT.test(text[k]!)) k++;
        if (k === j + 1) return fail(`expected a name after "${text.slice(i, j + 1)}"`, j + 1);
        path.push(text.slice(j + 1, k));
        j = k;
      }
      tokens.push({ kind: "name", path, start: i, end: j });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: "op", op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    const hint = Object.hasOwn(MISTAKES, ch) ? `: ${MISTAKES[ch]}` : "";
    return fail(`unexpected character "${ch}"${hint}`, i, i + 1);
  }
  if (closeAtBrace) return fail('"${" is not closed with "}"', Math.max(0, from - 2), text.length);
  tokens.push({ kind: "end", start: text.length, end: text.length });
  return { ok: true, tokens, end: text.length };
}
