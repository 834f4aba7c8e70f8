import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataFileError, MAX_FILE_BYTES, MAX_TOTAL_BYTES, checkDataFiles, materializeFiles, sanitizeDataPath } from "../../../src/cluster/files.ts";

const dir = mkdtempSync(join(tmpdir(), "loadr-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("data file paths", () => {
  test("relative paths are normalized", () => {
    expect(sanitizeDataPath("users.csv")).toBe("users.csv");
    expect(sanitizeDataPath("./data//users.csv")).toBe("data/users.csv");
    expect(sanitizeDataPath("data\\users.csv")).toBe("data/users.csv");
    expect(sanitizeDataPath("a..b.csv")).toBe("a..b.csv");
  });
  for (const bad of ["/etc/passwd", "../etc/passwd", "data/../../x", "a/..", "\\\\server\\share", "C:\\x.csv", "c:x", "", " ", ".", "./", "a\u0000b"]) {
    test(`rejects ${JSON.stringify(bad)}`, () => {
      expect(() => sanitizeDataPath(bad)).toThrow(DataFileError);
    });
  }
  test("the reasons are readable", () => {
    expect(() => sanitizeDataPath("/etc/passwd")).toThrow(/is absolute/);
    expect(() => sanitizeDataPath("../etc/passwd")).toThrow(/contains ".."/);
  });
});

describe("size limits", () => {
  test("a file over the per-file limit is refused with its size", () => {
    expect(() => checkDataFiles({ "big.csv": new Uint8Array(MAX_FILE_BYTES + 1) })).toThrow(/big\.csv" is 16\.0 MB.*at most 16\.0 MB each/);
  });
  test("the total is limited", () => {
    const files: Record<string, Uint8Array> = {};
    const n = Math.ceil(MAX_TOTAL_BYTES / MAX_FILE_BYTES) + 1;
    const chunk = new Uint8Array(MAX_FILE_BYTES);
    for (let i = 0; i < n; i++) files[`f${i}.bin`] = chunk;
    expect(() => checkDataFiles(files)).toThrow(/total .* at most 64\.0 MB/);
  });
});

describe("materialize", () => {
  test("writes nested files under the directory", () => {
    materializeFiles(dir, { "data/users.csv": new TextEncoder().encode("a,b\n"), "body.json": new TextEncoder().encode("{}") });
    expect(readFileSync(join(dir, "data/users.csv"), "utf8")).toBe("a,b\n");
    expect(readFileSync(join(dir, "body.json"), "utf8")).toBe("{}");
  });
  test("re-checks paths", () => {
    expect(() => materializeFiles(dir, { "../escape.txt": new Uint8Array(1) })).toThrow(DataFileError);
  });
});
