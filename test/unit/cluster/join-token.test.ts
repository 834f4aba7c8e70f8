// The join token's sources and rules (src/cluster/join-token.ts): one source at a time, a file
// read and trimmed, short or spaced tokens refused, a constant-time comparison, and the exposure
// rule for the controller's gRPC port.
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkGrpcExposure, joinTokenMatches, resolveJoinToken } from "../../../src/cluster/join-token.ts";
import { tempDir } from "../../integration/cluster/helpers.ts";

const tmp = tempDir("loadr-token-");
afterAll(() => tmp.cleanup());
const TOKEN = "0123456789abcdef0123";

describe("resolveJoinToken", () => {
  test("the flag, else the file (trimmed), else the environment; none: undefined", () => {
    const file = join(tmp.dir, "token");
    writeFileSync(file, `  ${TOKEN}-file\n`);
    expect(resolveJoinToken({ token: TOKEN, env: `${TOKEN}-env` })).toBe(TOKEN);
    expect(resolveJoinToken({ file, env: `${TOKEN}-env` })).toBe(`${TOKEN}-file`);
    expect(resolveJoinToken({ env: `${TOKEN}-env` })).toBe(`${TOKEN}-env`);
    expect(resolveJoinToken({})).toBeUndefined();
  });

  test("mistakes name the flag and say what to do", () => {
    const empty = join(tmp.dir, "empty");
    writeFileSync(empty, "\n");
    expect(() => resolveJoinToken({ token: TOKEN, file: empty })).toThrow("--join-token and --join-token-file both given: pass one");
    expect(() => resolveJoinToken({ file: empty })).toThrow(`--join-token-file ${empty} is empty`);
    expect(() => resolveJoinToken({ file: join(tmp.dir, "missing") })).toThrow(`cannot read --join-token-file ${join(tmp.dir, "missing")}`);
    expect(() => resolveJoinToken({ token: "short" })).toThrow("--join-token: a join token must be 16 to 1024 characters without spaces");
    expect(() => resolveJoinToken({ env: `${TOKEN} with space` })).toThrow(/^LOADR_JOIN_TOKEN: a join token must be/);
  });
});

test("joinTokenMatches compares whole tokens, whatever their lengths", () => {
  expect(joinTokenMatches(TOKEN, TOKEN)).toBe(true);
  expect(joinTokenMatches(`${TOKEN}x`, TOKEN)).toBe(false);
  expect(joinTokenMatches(TOKEN.slice(0, -1), TOKEN)).toBe(false);
  expect(joinTokenMatches("", TOKEN)).toBe(false);
});

test("beyond loopback, agents must be authenticated: by mTLS or by a token", () => {
  for (const host of ["127.0.0.1", "localhost", "::1"]) expect(() => checkGrpcExposure(host, "plaintext", undefined)).not.toThrow();
  expect(() => checkGrpcExposure("0.0.0.0", "plaintext", undefined)).toThrow(/refusing to accept agents on 0\.0\.0\.0 without --join-token or mTLS/);
  expect(() => checkGrpcExposure("10.0.0.5", "tls", undefined)).toThrow(/without --join-token or mTLS/);
  expect(() => checkGrpcExposure("0.0.0.0", "mtls", undefined)).not.toThrow();
  expect(() => checkGrpcExposure("0.0.0.0", "plaintext", TOKEN)).not.toThrow();
});
