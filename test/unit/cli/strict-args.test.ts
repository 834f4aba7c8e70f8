import { describe, expect, test } from "bun:test";
import type { ArgsDef, CommandDef } from "citty";
import { checkArgs } from "../../../src/cli/strict-args.ts";
import { ConfigError } from "../../../src/shared/errors.ts";
import { main } from "../../../src/cli/index.ts";

const COMMANDS = ["run", "validate", "schema", "demo", "quickstart", "version", "controller", "agent", "control"] as const;

async function argsOf(name: string): Promise<ArgsDef> {
  const command = (await import(`../../../src/cli/commands/${name}.ts`)).default as CommandDef<any>;
  return (command.args ?? {}) as ArgsDef;
}

function refusal(command: string, defs: ArgsDef, rawArgs: string[]): ConfigError {
  try {
    checkArgs(command, defs, rawArgs);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected ${rawArgs.join(" ")} to be refused`);
}

describe("every command refuses what it does not define", () => {
  for (const name of COMMANDS) {
    test(`loadr ${name} --definitely-not-a-flag → exit 104 naming the flag`, async () => {
      const error = refusal(name, await argsOf(name), ["--definitely-not-a-flag"]);
      expect(error.exitCode).toBe(104);
      expect(error.message).toBe(`unknown flag --definitely-not-a-flag for \`loadr ${name}\``);
      expect(error.hint).toBe(`run \`loadr ${name} --help\` for its flags`);
    });
  }

  test("a misspelt flag gets the nearest one", async () => {
    const run = await argsOf("run");
    expect(refusal("run", run, ["plan.yaml", "--summary-jsn", "x.json"]).message).toBe(
      "unknown flag --summary-jsn for `loadr run` (did you mean --summary-json?)",
    );
    expect(refusal("run", run, ["plan.yaml", "--worker=2"]).message).toBe("unknown flag --worker for `loadr run` (did you mean --workers?)");
  });

  test("defined flags, aliases, --flag=value, --no-BOOLEAN and values that look like positionals pass", async () => {
    const run = await argsOf("run");
    expect(() => checkArgs("run", run, ["plan.yaml", "-e", "A=1", "--env=B=2", "--workers", "2", "--no-color", "-q"])).not.toThrow();
    expect(() => checkArgs("run", run, ["--summary-json", "out.json", "plan.yaml"])).not.toThrow();
  });

  test("an extra positional is refused, naming it", async () => {
    const validate = await argsOf("validate");
    const error = refusal("validate", validate, ["a.yaml", "b.yaml"]);
    expect(error.message).toBe('`loadr validate` takes one argument; unexpected "b.yaml"');
    expect(refusal("version", await argsOf("version"), ["now"]).message).toBe('`loadr version` takes no arguments; unexpected "now"');
  });

  test("a string flag at the end without its value is refused", async () => {
    expect(refusal("run", await argsOf("run"), ["plan.yaml", "--workers"]).message).toBe("flag --workers of `loadr run` needs a value");
  });

  test("through main: the command does not run and the exit code is 104", async () => {
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      expect(await main(["validate", "missing-plan.yaml", "--strict"])).toBe(104);
    } finally {
      process.stderr.write = original;
    }
    expect(written.join("")).toContain("unknown flag --strict for `loadr validate`");
    expect(written.join("")).not.toContain("plan file not found");
  });
});
