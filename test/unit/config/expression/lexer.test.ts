import { describe, expect, test } from "bun:test";
import { lex, MAX_EXPRESSION_LENGTH, type Token } from "../../../../src/config/expression/lexer.ts";

const kinds = (text: string) => {
  const result = lex(text, 0, false);
  if (!result.ok) throw new Error(result.error.message);
  return result.tokens.map((t: Token) => {
    switch (t.kind) {
      case "number":
      case "string":
        return [t.kind, t.value, t.start];
      case "name":
        return [t.kind, t.path.join("."), t.start];
      case "op":
        return [t.kind, t.op, t.start];
      case "end":
        return [t.kind, t.start];
    }
  });
};

const error = (text: string, closeAtBrace = false, from = 0) => {
  const result = lex(text, from, closeAtBrace);
  if (result.ok) throw new Error(`expected an error for ${text}`);
  return { message: result.error.message, offset: result.error.offset, end: result.end };
};

describe("the expression lexer", () => {
  test("numbers, strings, names, dotted paths and operators, each with its offset", () => {
    expect(kinds("vars.n + 1.5 >= 'a' && !data.f.col-name")).toEqual([
      ["name", "vars.n", 0],
      ["op", "+", 7],
      ["number", 1.5, 9],
      ["op", ">=", 13],
      ["string", "a", 16],
      ["op", "&&", 20],
      ["op", "!", 23],
      ["name", "data.f.col-name", 24],
      ["end", 39],
    ]);
  });

  test("a hyphen belongs to a path segment, never to a head name", () => {
    expect(kinds("vu-1")).toEqual([["name", "vu", 0], ["op", "-", 2], ["number", 1, 3], ["end", 4]]);
    expect(kinds("vars.user-id")).toEqual([["name", "vars.user-id", 0], ["end", 12]]);
    expect(kinds("vars.n - 1").map((t) => t[1])).toEqual(["vars.n", "-", 1, 10]);
  });

  test("number forms: integers, decimals, exponents", () => {
    expect(kinds("0 12 3.25 1e3 2E-2").filter((t) => t[0] === "number").map((t) => t[1])).toEqual([0, 12, 3.25, 1000, 0.02]);
  });

  test("string escapes, both quotes", () => {
    expect(kinds(`'it\\'s' "a\\"b" 'x\\ny\\t\\\\'`).slice(0, 3).map((t) => t[1])).toEqual(["it's", 'a"b', "x\ny\t\\"]);
    expect(kinds(`"}" '{'`).slice(0, 2).map((t) => t[1])).toEqual(["}", "{"]);
  });

  test("in a template an unquoted } ends the expression; a quoted one does not", () => {
    const result = lex("${replace(vars.s, '}', '')}tail", 2, true);
    expect(result.ok).toBe(true);
    expect(result.end).toBe(26);
  });

  test("errors name the character and its offset", () => {
    expect(error("vars.n = 1")).toMatchObject({ offset: 7, message: 'unexpected character "=": write "==" to compare' });
    expect(error("a & b")).toMatchObject({ offset: 2, message: 'unexpected character "&": write "&&" for "and"' });
    expect(error("a | b")).toMatchObject({ offset: 2 });
    expect(error("'open")).toMatchObject({ offset: 0, message: "the string starting here is not closed with '" });
    expect(error("'bad \\q'")).toMatchObject({ offset: 5 });
    expect(error("12abc")).toMatchObject({ offset: 0, message: '"12a" is not a number' });
    expect(error("vars.")).toMatchObject({ offset: 5, message: 'expected a name after "vars."' });
    expect(error("1 # 2")).toMatchObject({ offset: 2, message: 'unexpected character "#"' });
    expect(error("99999999999999999").message).toContain("past ±2^53");
  });

  test("a nested ${ is explained; an unclosed ${ points at the ${", () => {
    expect(error("${${vars.n}}", true, 2)).toMatchObject({ offset: 2, end: 10 });
    expect(error("${${vars.n}}", true, 2).message).toContain("templates do not nest");
    expect(error("ab${vars.n", true, 4)).toMatchObject({ offset: 2, message: '"${" is not closed with "}"', end: 10 });
  });

  test("an error's end is where a template resumes: the next }", () => {
    expect(error("${a # b} rest", true, 2).end).toBe(7);
  });

  test("an expression longer than the limit is an error, whatever follows", () => {
    const long = `${"1 + ".repeat(MAX_EXPRESSION_LENGTH / 4)}1`;
    expect(error(long).message).toContain(`longer than ${MAX_EXPRESSION_LENGTH} characters`);
    expect(lex(`${"1+".repeat(100)}1`, 0, false).ok).toBe(true);
  });
});
