import { describe, expect, test } from "bun:test";
import { parseCsv } from "../../../src/config/csv.ts";

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
});
