// The release a user downloads (scripts/release.ts) and the install script that fetches it
// (scripts/install.sh): archives with the binary, README and LICENSE; SHA256SUMS that verify; a
// manifest; the install script installing from a local release server into a temp prefix, and
// refusing a tampered archive. The host binary is taken prebuilt (npm test builds it) so the test
// compiles nothing; packing the Windows zip is exercised with a copy of it under the Windows name.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { requireBinary } from "../../helpers/binary.ts";

const root = join(import.meta.dir, "..", "..", "..");
const host = `${process.platform}-${process.arch}`;
let work: string;
let releaseDir: string;
let server: ReturnType<typeof Bun.serve>;
/** Files the release server serves instead of the real ones (a tampered archive). */
const overrides = new Map<string, Uint8Array>();

function run(cmd: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = Bun.spawnSync(cmd, { cwd: options.cwd ?? root, env: { ...process.env, ...options.env }, stdout: "pipe", stderr: "pipe" });
  return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/** For commands that talk to this process's servers: the event loop must keep running meanwhile. */
async function runAsync(cmd: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const child = Bun.spawn(cmd, { cwd: options.cwd ?? root, env: { ...process.env, ...options.env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "loadr-release-test-"));
  const prebuilt = join(work, "prebuilt");
  mkdirSync(prebuilt);
  copyFileSync(requireBinary(), join(prebuilt, `loadr-${host}`));
  copyFileSync(requireBinary(), join(prebuilt, "loadr-windows-x64.exe"));
  releaseDir = join(work, "release");
  const built = run([process.execPath, "scripts/release.ts", "--targets", `${host},windows-x64`, "--out", releaseDir, "--prebuilt", prebuilt]);
  if (built.code !== 0) throw new Error(`release failed: ${built.stderr}`);
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      const name = new URL(request.url).pathname.slice(1);
      const body = overrides.get(name) ?? (existsSync(join(releaseDir, name)) ? readFileSync(join(releaseDir, name)) : undefined);
      return body ? new Response(body) : new Response("not found", { status: 404 });
    },
  });
}, 180_000);

afterAll(() => {
  server?.stop(true);
  rmSync(work, { recursive: true, force: true });
});

describe("npm run release", () => {
  test("writes an archive per target with the binary, README and LICENSE, sums that verify, and a manifest", () => {
    const sums = readFileSync(join(releaseDir, "SHA256SUMS"), "utf8").trim().split("\n");
    expect(sums.map((line) => line.split(/\s+/)[1]).sort()).toEqual([`loadr-${host}.tar.gz`, "loadr-windows-x64.zip"].sort());
    const check = run(["sha256sum", "-c", "SHA256SUMS"], { cwd: releaseDir });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain(`loadr-${host}.tar.gz: OK`);

    const listing = run(["tar", "-tzf", join(releaseDir, `loadr-${host}.tar.gz`)]);
    expect(listing.stdout.trim().split("\n").sort()).toEqual(["LICENSE", "README.md", "loadr"]);
    const zip = unzipSync(readFileSync(join(releaseDir, "loadr-windows-x64.zip")));
    expect(Object.keys(zip).sort()).toEqual(["LICENSE", "README.md", "loadr.exe"]);
    expect(zip["loadr.exe"]!.length).toBe(readFileSync(requireBinary()).length);

    const manifest = JSON.parse(readFileSync(join(releaseDir, "manifest.json"), "utf8"));
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.protocolVersion).toBeGreaterThan(0);
    const entry = manifest.targets.find((t: { target: string }) => t.target === host);
    expect(entry.archive).toBe(`loadr-${host}.tar.gz`);
    expect(entry.binaryBytes).toBe(readFileSync(requireBinary()).length);
    expect(sums).toContain(`${entry.sha256}  ${entry.archive}`);
  }, 60_000);

  test("an unknown target is refused with the list of targets", () => {
    const result = run([process.execPath, "scripts/release.ts", "--targets", "plan9-mips", "--out", join(work, "never")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown target plan9-mips");
    expect(result.stderr).toContain("linux-x64-baseline");
  });
});

describe("scripts/install.sh", () => {
  const env = (dir: string) => ({ LOADR_RELEASE_URL: `http://127.0.0.1:${server.port}`, LOADR_INSTALL_DIR: dir, LOADR_TARGET: host });

  test("installs the verified binary into the prefix; it runs `version --json` and a plan from an empty directory", async () => {
    const prefix = join(work, "prefix", "bin");
    const installed = await runAsync(["sh", "scripts/install.sh"], { env: env(prefix) });
    expect(installed.stderr).toBe("");
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain(`installed ${prefix}/loadr`);

    const version = run([join(prefix, "loadr"), "version", "--json"]);
    const info = JSON.parse(version.stdout);
    expect(info).toMatchObject({ target: host, protocolVersion: 1 });
    expect(info.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(Number.isNaN(Date.parse(info.buildDate))).toBe(false);

    let hits = 0;
    const target = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => (hits++, new Response("ok")) });
    try {
      const empty = join(work, "empty");
      mkdirSync(empty);
      writeFileSync(join(empty, "plan.yaml"), `name: smoke\nscenarios:\n  once:\n    executor: shared-iterations\n    vus: 1\n    iterations: 3\n    flow:\n      - request:\n          url: http://127.0.0.1:${target.port}/\n          checks: [{ status: 200 }]\n`);
      const child = Bun.spawn([join(prefix, "loadr"), "run", "plan.yaml", "--quiet"], { cwd: empty, stdout: "pipe", stderr: "pipe" });
      const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(stdout).toMatch(/http_reqs\.+: 3\b/);
      expect(hits).toBe(3);
    } finally {
      target.stop(true);
    }
  }, 60_000);

  test("a tampered archive is refused with a clear message and nothing is installed", async () => {
    const archive = `loadr-${host}.tar.gz`;
    const tampered = new Uint8Array(readFileSync(join(releaseDir, archive)));
    tampered[tampered.length - 100] = (tampered[tampered.length - 100] ?? 0) ^ 0xff;
    overrides.set(archive, tampered);
    try {
      const prefix = join(work, "tampered", "bin");
      const result = await runAsync(["sh", "scripts/install.sh"], { env: env(prefix) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`checksum mismatch for ${archive}`);
      expect(result.stderr).toContain("nothing was installed");
      expect(existsSync(join(prefix, "loadr"))).toBe(false);
    } finally {
      overrides.delete(archive);
    }
  }, 60_000);

  test("a release without the machine's archive names what is missing", async () => {
    const result = await runAsync(["sh", "scripts/install.sh"], { env: { ...env(join(work, "none")), LOADR_TARGET: "linux-riscv64" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("could not download");
    expect(result.stderr).toContain("loadr-linux-riscv64.tar.gz");
  });
});
