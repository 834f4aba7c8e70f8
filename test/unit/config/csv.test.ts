import { describe, expect, test } from "bun:test";
import { parseCsv as parseTable } from "../../../src/config/csv.ts";

/** The parsed table as plain arrays, or the error. */
function parseCsv(text: string): { columns: readonly string[]; rows: string[][] } | { error: string } {
  const table = parseTable(text);
  return "error" in table ? table : { columns: table.columns, rows: table.toArrays() };
}

describe("parseCsv", () => {
  test("header row and rows, CRLF, BOM and a trailing newline", () => {
    expect(parseCsv("\uFEFFname,password\r\nann,pw1\r\nbob,pw2\r\n")).toEqual({
      columns: ["name", "password"],
      rows: [
        ["ann", "pw1"],
        ["bob", "pw2"],
      ],
    });
  });

  test("quoted fields with commas, doubled quotes and newlines", () => {
    expect(parseCsv('a,b\n"x, y","say ""hi"""\n"multi\nline",2\n')).toEqual({
      columns: ["a", "b"],
      rows: [
        ["x, y", 'say "hi"'],
        ["multi\nline", "2"],
      ],
    });
  });

  test("empty fields and blank lines", () => {
    expect(parseCsv("a,b\n,\n\n1,\n")).toEqual({ columns: ["a", "b"], rows: [["", ""], ["1", ""]] });
  });

  test("errors name the line", () => {
    expect(parseCsv("a,b\n1,2\n3\n")).toEqual({ error: "line 3: 1 fields, but the header has 2 (a,b)" });
    expect(parseCsv('a\n"open\n')).toEqual({ error: expect.stringContaining("not closed") });
    expect(parseCsv("")).toEqual({ error: expect.stringContaining("empty") });
  });

  test("records are built per read, keyed by column, and null-prototype", () => {
    const table = parseTable('id,note\n1,"a ""b"""\n2,plain\n');
    if ("error" in table) throw new Error(table.error);
    expect(table.length).toBe(2);
    expect(table.cell(0, 1)).toBe('a "b"');
    const record = table.record(1);
    expect(record).toEqual({ id: "2", note: "plain" });
    expect(Object.getPrototypeOf(record)).toBeNull();
    expect(Object.isFrozen(record)).toBe(true);
  });

  test("a trailing comma is an empty last field; a quoted header name is unquoted", () => {
    expect(parseCsv('"a",b\n1,')).toEqual({ columns: ["a", "b"], rows: [["1", ""]] });
  });
});
