// TLS: a self-signed certificate made with the openssl CLI in a temp dir.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentServer } from "../../helpers/bad-servers.ts";
import { newSession, request, TAGS } from "./support.ts";

describe("http1 over TLS", () => {
  let dir: string;
  let cert: string;
  let server: ReturnType<typeof Bun.serve>;
  let url: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "loadr-tls-"));
    const made = Bun.spawnSync([
      "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ]);
    if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
    cert = readFileSync(join(dir, "cert.pem"), "utf8");
    server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      tls: { cert, key: readFileSync(join(dir, "key.pem"), "utf8") },
      fetch: async (req) => new Response(`secure ${req.method} ${(await req.text()).length}`),
    });
    url = `https://127.0.0.1:${server.port}/`;
  });
  afterAll(async () => {
    await server.stop(true);
    rmSync(dir, { recursive: true, force: true });
  });

  test("with the CA it works, reuses the connection, and times the handshake", async () => {
    const { session, values } = newSession();
    const first = await session.send(request(url, { tls: { insecure: false, ca: cert } }), TAGS);
    expect(first.error).toBeUndefined();
    expect(first.body).toBe("secure GET 0");
    expect(first.timings.tlsHandshaking).toBeGreaterThan(0);
    const big = "y".repeat(2 * 1024 * 1024);
    const second = await session.send(request(url, { method: "POST", body: big, tls: { insecure: false, ca: cert } }), TAGS);
    expect(second.body).toBe(`secure POST ${big.length}`);
    expect(second.timings.tlsHandshaking).toBe(0);
    expect(values("http_req_tls_handshaking").map((s) => s.value > 0)).toEqual([true, false]);
    expect(session.openConnections()).toBe(1);
    session.close();
  });

  test("the host name is verified against serverName (localhost resolves too)", async () => {
    const { session } = newSession();
    const byName = await session.send(request(`https://localhost:${server.port}/`, { tls: { insecure: false, ca: cert } }), TAGS);
    expect(byName.error).toBeUndefined();
    const wrong = await session.send(request(url, { tls: { insecure: false, ca: cert, serverName: "wrong.example" } }), TAGS);
    expect(wrong.error?.code).toBe("tls");
    session.close();
  });

  test("without the CA it is a tls error naming host:port", async () => {
    const { session, values } = newSession();
    const res = await session.send(request(url), TAGS);
    expect(res.status).toBe(0);
    expect(res.error?.code).toBe("tls");
    expect(res.error?.message).toContain(`127.0.0.1:${server.port}`);
    expect(values("http_req_failed")[0]!.value).toBe(1);
    session.close();
  });

  test("an unreadable CA is a tls error, not an exception", async () => {
    const { session } = newSession();
    const res = await session.send(request(url, { tls: { insecure: false, ca: "not a certificate" } }), TAGS);
    expect(res.error?.code).toBe("tls");
    expect(res.error?.message).toContain(`127.0.0.1:${server.port}`);
    session.close();
  });

  test("insecure skips verification", async () => {
    const { session } = newSession();
    const res = await session.send(request(url, { tls: { insecure: true } }), TAGS);
    expect(res.status).toBe(200);
    expect(res.body).toBe("secure GET 0");
    session.close();
  });

  test("a handshake that never completes hits the connect timeout", async () => {
    const silent = await silentServer();
    const { session } = newSession();
    const started = performance.now();
    const res = await session.send(request(`https://127.0.0.1:${silent.port}/`, { connectTimeout: 120, timeout: 5000 }), TAGS);
    const took = performance.now() - started;
    expect(res.error?.code).toBe("timeout");
    expect(res.error?.message).toContain("connect timeout");
    expect(took).toBeLessThan(400);
    session.close();
    await silent.close();
  });
});
