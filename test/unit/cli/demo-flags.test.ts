// `loadr demo` gets one `--<name>-port` flag per registered demo listener, generated from the
// map (src/demo/listeners/index.ts): shown here with a test-only listener, which the strict flag
// check then accepts (with did-you-mean for a typo) and whose bad value is a usage error naming it.
// Also: the invariants every registered listener and protocol route must keep.
import { afterEach, describe, expect, test } from "bun:test";
import { runCommand, type ArgsDef } from "citty";
import { demoCommand } from "../../../src/cli/commands/demo.ts";
import { checkArgs } from "../../../src/cli/strict-args.ts";
import { DEMO_LISTENERS } from "../../../src/demo/listeners/index.ts";
import type { DemoListener } from "../../../src/demo/listeners/types.ts";
import { DEMO_ROUTES } from "../../../src/demo/protocol-routes.ts";

let started = 0;
const fakeListener: DemoListener = {
  name: "fake",
  flag: "--fake-port",
  async start(port) {
    started++;
    return { port, address: `127.0.0.1:${port}`, stop: async () => {} };
  },
};

const realWrite = process.stderr.write;
afterEach(() => {
  process.stderr.write = realWrite;
});

/** Runs the demo command for `listeners` with `rawArgs`, capturing its stderr. */
async function runDemo(listeners: Record<string, DemoListener>, rawArgs: string[]) {
  let stderr = "";
  process.stderr.write = ((chunk: string) => {
    stderr += chunk;
    return true;
  }) as typeof process.stderr.write;
  const { result } = await runCommand(demoCommand(listeners), { rawArgs });
  process.stderr.write = realWrite;
  return { result, stderr };
}

describe("loadr demo's listener flags", () => {
  const args = demoCommand({ fake: fakeListener }).args as ArgsDef;

  test("one string flag per listener, beside --port and --host", () => {
    expect(Object.keys(args)).toEqual(["port", "host", "fake-port"]);
    expect(args["fake-port"]).toMatchObject({ type: "string" });
    expect(Object.keys(demoCommand({}).args as ArgsDef)).toEqual(["port", "host"]);
  });

  test("the strict flag check accepts it and suggests it for a typo", () => {
    expect(() => checkArgs("demo", args, ["--port", "0", "--fake-port", "0"])).not.toThrow();
    expect(() => checkArgs("demo", args, ["--fak-port", "0"])).toThrow("unknown flag --fak-port for `loadr demo` (did you mean --fake-port?)");
  });

  test("a bad value is a usage error (104) naming the flag, and nothing starts", async () => {
    const { result, stderr } = await runDemo({ fake: fakeListener }, ["--port", "0", "--fake-port", "99999"]);
    expect(result).toBe(104);
    expect(stderr).toBe('loadr: --fake-port must be an integer from 0 to 65535, got "99999"\n');
    expect(started).toBe(0);
  });
});

describe("the registered demo endpoints", () => {
  test("each listener is registered under its name, not http, with the flag --<name>-port", () => {
    for (const [key, listener] of Object.entries(DEMO_LISTENERS)) {
      expect(listener.name).toBe(key);
      expect(key).toMatch(/^[a-z][a-z0-9]*$/);
      expect(key).not.toBe("http");
      expect(listener.flag).toBe(`--${key}-port`);
    }
  });

  test("each protocol route is an exact path that shadows no built-in endpoint", () => {
    for (const path of Object.keys(DEMO_ROUTES)) {
      expect(path).toMatch(/^\/[a-z][a-z0-9-]*$/);
      expect(["/json", "/echo", "/login", "/me", "/_stats"]).not.toContain(path);
    }
  });
});
