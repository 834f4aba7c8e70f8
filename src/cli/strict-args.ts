// Strict command lines: every command refuses a flag it does not define and a positional it does
// not take, before it runs (citty alone would treat `--vsu 10` as a boolean and `10` as a stray
// argument, and run the plan unchanged). Called by cli/index.ts with the command's own `args`
// definitions, so a flag added to a command is accepted without touching this file.
import type { ArgsDef } from "citty";
import { ConfigError } from "../shared/errors.ts";
import { closest } from "../config/suggest.ts";

/** Throws a ConfigError (exit 104) naming the first unknown flag or extra positional in `rawArgs`. */
export function checkArgs(command: string, defs: ArgsDef, rawArgs: readonly string[]): void {
  const flags = new Map<string, "string" | "boolean">();
  let positionals = 0;
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") {
      positionals++;
      continue;
    }
    const type = def.type === "boolean" ? "boolean" : "string";
    flags.set(name, type);
    const aliases = "alias" in def && def.alias !== undefined ? (Array.isArray(def.alias) ? def.alias : [def.alias]) : [];
    for (const alias of aliases) flags.set(alias, type);
  }
  const usage = `run \`loadr ${command} --help\` for its flags`;
  let given = 0;
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === "--") {
      given += rawArgs.length - i - 1;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      given++;
      continue;
    }
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = eq < 0 ? body : body.slice(0, eq);
    let type = flags.get(name);
    // citty negates booleans as --no-NAME.
    if (type === undefined && name.startsWith("no-") && flags.get(name.slice(3)) === "boolean") type = "boolean";
    if (type === undefined) {
      const known = [...flags.keys()].filter((f) => f.length > 1);
      const suggestion = closest(name, known);
      throw new ConfigError(
        `unknown flag ${arg.slice(0, eq < 0 ? undefined : arg.indexOf("="))} for \`loadr ${command}\`${suggestion ? ` (did you mean --${suggestion}?)` : ""}`,
        usage,
      );
    }
    if (type === "string" && eq < 0) {
      const value = rawArgs[i + 1];
      if (value === undefined) throw new ConfigError(`flag ${arg} of \`loadr ${command}\` needs a value`, usage);
      i++;
    }
  }
  if (given > positionals) {
    const extra = rawArgs.filter((a) => !a.startsWith("-")).slice(positionals);
    throw new ConfigError(
      `\`loadr ${command}\` takes ${positionals === 0 ? "no arguments" : positionals === 1 ? "one argument" : `${positionals} arguments`}; unexpected ${JSON.stringify(extra.at(-1) ?? "")}`,
      usage,
    );
  }
}
