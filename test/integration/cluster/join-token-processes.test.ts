// The join token end to end, with real `loadr controller` and `loadr agent` processes from source:
// the token from a file on the controller and from LOADR_JOIN_TOKEN on an agent; an agent with a
// wrong token exits 1 saying why; a controller beyond loopback without a token refuses to start.
// Every process is killed by PID.
import { afterEach, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir, waitFor } from "./helpers.ts";

const MAIN = join(import.meta.dir, "../../../src/main.ts");
const TOKEN = "e2e-join-token-5f0c2a91d3";
const children: ChildProcess[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const c of cleanups.splice(0)) c();
});

function loadr(args: string[], env: Record<string, string> = {}): ChildProcess & { output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", LOADR_JOIN_TOKEN: "", ...env } });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return Object.assign(child, { output: () => output, exited });
}

test("controller and agents share a join token; a wrong one makes the agent exit 1 with the reason", async () => {
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  const tokenFile = join(tmp.dir, "join-token");
  writeFileSync(tokenFile, `${TOKEN}\n`);
  const ctrl = loadr(["controller", "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data-dir", join(tmp.dir, "data"), "--join-token-file", tokenFile]);
  const m = await waitFor("controller ready", () => /agents join ([\d.]+:\d+); HTTP API (http:\/\/[\d.:]+)/.exec(ctrl.output()) ?? undefined, 15_000);
  const [grpc, http] = [m[1]!, m[2]!];
  expect(ctrl.output()).toContain("(plaintext, join token required)");

  loadr(["agent", "--join", grpc, "--name", "trusted", "--workers", "1"], { LOADR_JOIN_TOKEN: TOKEN });
  const agents = async () => ((await (await fetch(`${http}/api/agents`)).json()) as { agents: Array<{ name: string; state: string }> }).agents;
  await waitFor("the trusted agent idle", async () => (await agents()).some((a) => a.name === "trusted" && a.state === "idle"), 15_000);

  const wrong = loadr(["agent", "--join", grpc, "--name", "intruder", "--workers", "1", "--join-token", `${TOKEN}-wrong`]);
  expect(await wrong.exited).toBe(1);
  expect(wrong.output()).toContain("the controller refused this agent: the join token is wrong");
  expect((await agents()).map((a) => a.name)).toEqual(["trusted"]);
  expect(ctrl.output()).toMatch(/connections from 127\.0\.0\.1: 127\.0\.0\.1:\d+ refused: the join token is wrong/);
  expect(ctrl.output()).not.toContain(TOKEN);
}, 40_000);

test("beyond loopback without mTLS or a token the controller refuses to start, saying what to pass", async () => {
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  const ctrl = loadr(["controller", "--bind", "0.0.0.0:0", "--http", "127.0.0.1:0", "--data-dir", join(tmp.dir, "data")]);
  expect(await ctrl.exited).toBe(1);
  expect(ctrl.output()).toContain("refusing to accept agents on 0.0.0.0 without --join-token or mTLS");
  expect(ctrl.output()).toContain("pass --join-token TOKEN");
  const short = loadr(["agent", "--join", "127.0.0.1:9", "--join-token", "short"]);
  expect(await short.exited).toBe(1);
  expect(short.output()).toContain("--join-token: a join token must be 16 to 1024 characters without spaces");
}, 40_000);
