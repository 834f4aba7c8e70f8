// The command tree. Subcommands are imported lazily so `loadr version` starts fast.
// citty's runMain would turn every failure into exit 1; `main` keeps our exit codes instead.
import { defineCommand, runCommand, showUsage, type ArgsDef, type CommandDef } from "citty";
import { EXIT_FAILURE, EXIT_INVALID_CONFIG, EXIT_OK } from "../shared/exit-codes.ts";
import { LoadrError } from "../shared/errors.ts";
import { VERSION } from "../shared/version.ts";

const subCommands: Record<string, () => Promise<CommandDef<any>>> = {
  run: () => import("./commands/run.ts").then((m) => m.default),
  validate: () => import("./commands/validate.ts").then((m) => m.default),
  schema: () => import("./commands/schema.ts").then((m) => m.default),
  demo: () => import("./commands/demo.ts").then((m) => m.default),
  quickstart: () => import("./commands/quickstart.ts").then((m) => m.default),
  version: () => import("./commands/version.ts").then((m) => m.default),
  controller: () => import("./commands/controller.ts").then((m) => m.default),
  agent: () => import("./commands/agent.ts").then((m) => m.default),
  control: () => import("./commands/control.ts").then((m) => m.default),
  report: () => import("./commands/report.ts").then((m) => m.default),
  convert: () => import("./commands/convert.ts").then((m) => m.default),
};

export const rootCommand = defineCommand({
  meta: { name: "loadr", version: VERSION, description: "Load testing from a YAML plan" },
  subCommands,
});

/** Runs the CLI with `argv` (without the executable) and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h") {
    await showUsage(rootCommand);
    return argv.length === 0 ? EXIT_FAILURE : EXIT_OK;
  }
  if (argv[0] === "--version" || argv[0] === "-v") argv = ["version"];
  const name = argv[0] ?? "";
  if (!(name in subCommands)) {
    process.stderr.write(`loadr: unknown command "${name}". Commands: ${Object.keys(subCommands).join(", ")}.\n`);
    return EXIT_FAILURE;
  }
  try {
    const command = await subCommands[name]!();
    if (argv.includes("--help") || argv.includes("-h")) {
      await showUsage(command, rootCommand);
      return EXIT_OK;
    }
    const { checkArgs } = await import("./strict-args.ts");
    checkArgs(name, (command.args ?? {}) as ArgsDef, argv.slice(1));
    const { result } = await runCommand(command, { rawArgs: argv.slice(1) });
    return typeof result === "number" ? result : EXIT_OK;
  } catch (error) {
    return reportError(error);
  }
}

/** Prints an error the way a user should see it and returns its exit code. */
export function reportError(error: unknown): number {
  if (error instanceof LoadrError) {
    process.stderr.write(`loadr: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  hint: ${error.hint}\n`);
    return error.exitCode;
  }
  // citty's own argument errors (missing positional, unknown enum value) are usage errors.
  if (error instanceof Error && error.name === "CLIError") {
    process.stderr.write(`loadr: ${error.message}. Run \`loadr ${process.argv[2] ?? ""} --help\` for usage.\n`);
    return EXIT_INVALID_CONFIG;
  }
  process.stderr.write(`loadr: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_FAILURE;
}
