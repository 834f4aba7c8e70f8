// Test PKI made with the openssl CLI in a temp dir: a CA, a server cert for 127.0.0.1/localhost,
// two client certs from the same CA, a client cert from another CA, and expired ones (notAfter a
// day ago) for a client and a server.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestPki {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  secondClientCert: string;
  secondClientKey: string;
  expiredClientCert: string;
  expiredClientKey: string;
  expiredServerCert: string;
  expiredServerKey: string;
  otherCa: string;
  otherClientCert: string;
  otherClientKey: string;
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
}

function makeCa(dir: string, name: string): void {
  openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=${name}`,
    "-keyout", `${name}.key`, "-out", `${name}.pem`]);
}

/** `days` -1: notAfter a day before now (expired). */
function makeLeaf(dir: string, ca: string, name: string, ext: string, days = 2): void {
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, ["req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${name}`, "-keyout", `${name}.key`, "-out", `${name}.csr`]);
  openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.pem`, "-CAkey", `${ca}.key`, "-CAcreateserial",
    "-days", String(days), "-out", `${name}.pem`, "-extfile", `${name}.ext`]);
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "loadr-pki-"));
  makeCa(dir, "ca");
  makeCa(dir, "other-ca");
  makeLeaf(dir, "ca", "server", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  makeLeaf(dir, "ca", "client", "extendedKeyUsage=clientAuth\n");
  makeLeaf(dir, "ca", "client2", "extendedKeyUsage=clientAuth\n");
  makeLeaf(dir, "ca", "expired-client", "extendedKeyUsage=clientAuth\n", -1);
  makeLeaf(dir, "ca", "expired-server", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n", -1);
  makeLeaf(dir, "other-ca", "other-client", "extendedKeyUsage=clientAuth\n");
  const p = (f: string) => join(dir, f);
  return {
    dir,
    ca: p("ca.pem"),
    serverCert: p("server.pem"),
    serverKey: p("server.key"),
    clientCert: p("client.pem"),
    clientKey: p("client.key"),
    secondClientCert: p("client2.pem"),
    secondClientKey: p("client2.key"),
    expiredClientCert: p("expired-client.pem"),
    expiredClientKey: p("expired-client.key"),
    expiredServerCert: p("expired-server.pem"),
    expiredServerKey: p("expired-server.key"),
    otherCa: p("other-ca.pem"),
    otherClientCert: p("other-client.pem"),
    otherClientKey: p("other-client.key"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
