// Opens the TCP (and TLS) connection an HTTP/2 session runs on, timing each phase. Over TLS it
// offers ALPN `h2` (and `http/1.1` too when the request's version is "auto"); the caller reads
// the protocol the server chose. Always resolves; bounded by `timeoutMs`.
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { TlsSpec } from "../../config/plan.ts";
import { connectFailure, ERR_TIMEOUT, ERR_TLS, requestError, type RequestError } from "../http1/errors.ts";
import type { Target } from "../http1/target.ts";

export interface OpenedSocket {
  socket: Socket;
  /** The ALPN protocol the server chose (`h2`, `http/1.1`), or "" in the clear or without ALPN. */
  alpn: string;
  connecting: number;
  tlsHandshaking: number;
}

export function openSocket(target: Target, tls: TlsSpec, offerHttp1: boolean, timeoutMs: number): Promise<OpenedSocket | RequestError> {
  const { promise, resolve } = Promise.withResolvers<OpenedSocket | RequestError>();
  const started = performance.now();
  let connectedAt = started;
  let socket: Socket;
  if (target.secure) {
    const servername = tls.serverName ?? (target.isIp ? undefined : target.hostname);
    socket = tlsConnect({
      host: target.hostname,
      port: target.port,
      rejectUnauthorized: !tls.insecure,
      ...(tls.ca ? { ca: tls.ca } : {}),
      ...(servername ? { servername } : {}),
      ALPNProtocols: offerHttp1 ? ["h2", "http/1.1"] : ["h2"],
    });
  } else {
    socket = netConnect({ host: target.hostname, port: target.port });
  }
  const timer = setTimeout(() => finish(requestError(ERR_TIMEOUT, `connecting to ${target.hostPort} timed out after ${timeoutMs} ms`)), timeoutMs);
  let done = false;
  function finish(result: OpenedSocket | RequestError): void {
    if (done) return;
    done = true;
    clearTimeout(timer);
    socket.off("error", onError);
    if ("code" in result) socket.destroy();
    resolve(result);
  }
  const onError = (error: Error) => {
    const tlsFailure = target.secure && performance.now() > connectedAt && connectedAt !== started;
    finish(tlsFailure ? requestError(ERR_TLS, `TLS with ${target.hostPort} failed: ${error.message}`) : connectFailure(target.hostPort, error));
  };
  socket.on("error", onError);
  socket.once("connect", () => {
    connectedAt = performance.now();
    if (!target.secure) finish({ socket, alpn: "", connecting: connectedAt - started, tlsHandshaking: 0 });
  });
  if (target.secure) {
    socket.once("secureConnect", () => {
      const now = performance.now();
      const alpn = (socket as TLSSocket).alpnProtocol;
      if (connectedAt === started) connectedAt = now;
      finish({ socket, alpn: typeof alpn === "string" ? alpn : "", connecting: connectedAt - started, tlsHandshaking: now - connectedAt });
    });
  }
  return promise;
}
