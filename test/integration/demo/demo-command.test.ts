// `loadr demo` as a process: prints its URL and one line per endpoint, serves, stops cleanly on
// SIGINT / SIGTERM.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { DEMO_LISTENERS } from "../../../src/demo/listeners/index.ts";

const MAIN = join(import.meta.dir, "../../../src/main.ts");
/** The first line, then the HTTP server's and every registered listener's. */
const LINES = 2 + Object.keys(DEMO_LISTENERS).length;

async function startDemoProcess() {
  const child = Bun.spawn([process.execPath, MAIN, "demo", "--port", "0", "--host", "127.0.0.1"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = child.stdout.getReader();
  let out = "";
  // Bounded: the process prints its lines at start; a closed stream ends the loop.
  while (out.split("\n").length <= LINES) {
    const { value, done } = await reader.read();
    if (done) break;
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const match = /^loadr demo target listening on (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(out);
  if (!match) {
    child.kill();
    throw new Error(`unexpected output: ${out} ${await new Response(child.stderr).text()}`);
  }
  return { child, url: match[1]!, lines: out.split("\n").slice(0, LINES) };
}

describe("loadr demo", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    test(`serves until ${signal}, then exits 0`, async () => {
      const { child, url } = await startDemoProcess();
      expect((await fetch(`${url}/json`)).status).toBe(200);
      expect(await (await fetch(`${url}/_stats`)).json()).toEqual({ total: 1, byPath: { "/json": 1 }, byProtocol: { http: 1 } });
      child.kill(signal);
      expect(await child.exited).toBe(0);
    });
  }

  test("prints one `<name>  <address>` line per endpoint after its first line: the HTTP server, then each listener", async () => {
    const { child, url, lines } = await startDemoProcess();
    try {
      const endpoints = lines.slice(1).map((line) => /^(\S+) +(\S+)$/.exec(line)?.slice(1));
      expect(endpoints).toEqual([["http", url], ...Object.keys(DEMO_LISTENERS).map((name) => [name, expect.any(String)])]);
    } finally {
      child.kill("SIGTERM");
      await child.exited;
    }
  });

  test("a bad --port is a usage error", async () => {
    const child = Bun.spawn([process.execPath, MAIN, "demo", "--port", "nope"], { stdout: "pipe", stderr: "pipe" });
    expect(await child.exited).toBe(104);
    expect(await new Response(child.stderr).text()).toContain("--port");
  });
});

describe("loadr demo on a busy port", () => {
  test("says the port is taken and exits 1", async () => {
    const { child, url } = await startDemoProcess();
    const port = new URL(url).port;
    const second = Bun.spawn([process.execPath, MAIN, "demo", "--port", port], { stdout: "pipe", stderr: "pipe" });
    expect(await second.exited).toBe(1);
    expect(await new Response(second.stderr).text()).toContain(`could not listen on 127.0.0.1:${port}`);
    child.kill("SIGTERM");
    expect(await child.exited).toBe(0);
  });
});
