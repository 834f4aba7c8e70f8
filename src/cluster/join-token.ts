// The join token: a shared secret an agent presents (gRPC metadata JOIN_TOKEN_METADATA, rpc.ts)
// so that only agents that know it can register with a controller (deploy/README.md). Given as
// `--join-token T`, `--join-token-file F` or LOADR_JOIN_TOKEN, on the controller and on each
// agent; compared in constant time. `checkGrpcExposure` is the controller's rule: beyond loopback
// without mTLS, agents must be authenticated by a token.
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { LoadrError } from "../shared/errors.ts";
import { isLoopbackHost } from "./http-api.ts";
import type { TlsMode } from "./tls.ts";

/** A token file larger than this is not a token. */
const MAX_TOKEN_FILE_BYTES = 4096;
/** Shorter tokens are refused: they can be guessed. */
const MIN_TOKEN_LENGTH = 16;
/** What an agent may send; longer is refused unread. */
export const MAX_TOKEN_LENGTH = 1024;

interface JoinTokenFlags {
  token?: string;
  file?: string;
  /** LOADR_JOIN_TOKEN. */
  env?: string;
}

/** The token from the flags (the flag, else the file, else the environment); undefined when none. Throws LoadrError. */
export function resolveJoinToken(flags: JoinTokenFlags): string | undefined {
  if (flags.token && flags.file) throw new LoadrError("--join-token and --join-token-file both given: pass one");
  let token: string | undefined;
  let from: string;
  if (flags.file) {
    from = `--join-token-file ${flags.file}`;
    let bytes: Buffer;
    try {
      bytes = readFileSync(flags.file);
    } catch (error) {
      throw new LoadrError(`cannot read ${from}: ${(error as Error).message}`);
    }
    if (bytes.byteLength > MAX_TOKEN_FILE_BYTES) throw new LoadrError(`${from} is ${bytes.byteLength} bytes; a token file holds one line of at most ${MAX_TOKEN_LENGTH} characters`);
    token = bytes.toString("utf8").trim();
    if (token === "") throw new LoadrError(`${from} is empty`, { hint: "write the token into it, e.g. openssl rand -hex 24 > FILE" });
  } else if (flags.token) {
    from = "--join-token";
    token = flags.token;
  } else if (flags.env) {
    from = "LOADR_JOIN_TOKEN";
    token = flags.env;
  } else {
    return undefined;
  }
  if (token.length < MIN_TOKEN_LENGTH || token.length > MAX_TOKEN_LENGTH || /[\s\u0000-\u001f]/.test(token)) {
    throw new LoadrError(`${from}: a join token must be ${MIN_TOKEN_LENGTH} to ${MAX_TOKEN_LENGTH} characters without spaces`, {
      hint: "make one with: openssl rand -hex 24",
    });
  }
  return token;
}

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** Whether `given` is `expected`, in time independent of where they differ (equal-length digests). */
export function joinTokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The rule: a controller that binds its gRPC port beyond loopback must authenticate agents, by
 * mTLS (client certificates) or by a join token; otherwise anyone who can reach the port could
 * register, be handed plans and send figures.
 */
export function checkGrpcExposure(host: string, mode: TlsMode, joinToken: string | undefined): void {
  if (isLoopbackHost(host) || mode === "mtls" || joinToken) return;
  throw new LoadrError(`refusing to accept agents on ${host} without --join-token or mTLS: anyone who can reach the port could register as an agent`, {
    hint: "pass --join-token TOKEN (or --join-token-file, LOADR_JOIN_TOKEN) on the controller and every agent, or --tls-client-ca for mTLS, or bind --bind to 127.0.0.1",
  });
}
