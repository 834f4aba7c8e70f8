// The agent as a systemd service: the unit in deploy/systemd passes `systemd-analyze verify`
// with no warning, and `loadr agent` takes its whole configuration from LOADR_* variables (the
// unit's EnvironmentFile), so an agent started with no flags at all joins with the labels and
// name the environment gives.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireBinary, spawnUntil } from "../../helpers/binary.ts";

const root = join(import.meta.dir, "..", "..", "..");
const dir = mkdtempSync(join(tmpdir(), "loadr-systemd-"));
const children: Bun.Subprocess[] = [];

afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

test("the unit passes systemd-analyze verify without a warning, hardening included", () => {
  if (!Bun.which("systemd-analyze")) throw new Error("systemd-analyze is missing: install Debian's systemd package (.ci/run does)");
  const unit = readFileSync(join(root, "deploy/systemd/loadr-agent.service"), "utf8");
  for (const line of ["DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict", "CapabilityBoundingSet=", "EnvironmentFile=/etc/loadr/agent.env", "ExecStart=/usr/local/bin/loadr agent"]) {
    expect(unit.split("\n")).toContain(line);
  }
  // verify checks that ExecStart's binary and the environment file exist: point them at real ones.
  const path = join(dir, "loadr-agent.service");
  writeFileSync(path, unit.replace("ExecStart=/usr/local/bin/loadr", `ExecStart=${requireBinary()}`).replace("/etc/loadr/agent.env", join(root, "deploy/systemd/agent.env.example")));
  const result = Bun.spawnSync(["systemd-analyze", "verify", path], { stdout: "pipe", stderr: "pipe" });
  const output = (result.stdout.toString() + result.stderr.toString()).split("\n").filter((l) => l.includes("loadr-agent.service"));
  expect(output).toEqual([]);
  expect(result.exitCode).toBe(0);
});

test("loadr agent with no flags joins from LOADR_JOIN, LOADR_NAME and LOADR_LABELS", async () => {
  const controller = await spawnUntil(["controller", "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data-dir", join(dir, "data")], /agents join (\S+); HTTP API (http:\/\/\S+)/);
  children.push(controller.process);
  const [, grpc, http] = controller.match;
  const agent = Bun.spawn([requireBinary(), "agent"], {
    env: { ...process.env, LOADR_JOIN: grpc!, LOADR_NAME: "from-env", LOADR_LABELS: "pool=env,zone=z", LOADR_WORKERS: "1" },
    stdout: "ignore",
    stderr: "pipe",
  });
  children.push(agent);
  const deadline = Date.now() + 20_000;
  let agents: Array<{ name: string; labels: Record<string, string> }> = [];
  while (Date.now() < deadline) {
    agents = ((await (await fetch(`${http}/api/agents`)).json()) as { agents: typeof agents }).agents;
    if (agents.length > 0) break;
    await Bun.sleep(100);
  }
  expect(agents.map((a) => [a.name, a.labels])).toEqual([["from-env", { pool: "env", zone: "z" }]]);
}, 30_000);

test("loadr agent without --join or LOADR_JOIN says how to give the address", () => {
  const env = { ...process.env };
  delete env.LOADR_JOIN;
  const result = Bun.spawnSync([requireBinary(), "agent"], { env, stdout: "pipe", stderr: "pipe" });
  expect(result.exitCode).toBe(104);
  expect(result.stderr.toString()).toContain("--join HOST:PORT (or LOADR_JOIN)");
});
