// `--plugin FILE` (repeatable) of `loadr run` and `loadr validate`: each FILE resolves against the
// current directory and is kept relative to the plan's directory (where the plan's own
// `plugins:` entries resolve), so workers, agents and a controller's shipped files agree on it.
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { ConfigError } from "../../shared/errors.ts";
import { repeatedFlag } from "./repeated-flag.ts";

export function pluginFlags(rawArgs: readonly string[], cwd: string, planPath: string): string[] {
  return repeatedFlag(rawArgs, ["--plugin"]).map((value) => {
    if (value === undefined || value === "" || value.startsWith("-")) {
      throw new ConfigError("--plugin needs a FILE", "e.g. --plugin ./plugins/redis.ts (a .ts/.js module, a .wasm module or a shared library)");
    }
    const file = resolve(cwd, value);
    const fromPlan = relative(dirname(resolve(planPath)), file);
    return isAbsolute(fromPlan) || fromPlan.startsWith("..") ? file : `./${fromPlan}`;
  });
}
