// `--out NAME=ARGUMENT` (repeatable) → outputs, through the registry (src/outputs/registry.ts).
// Pure apart from the modules' factories; every mistake is a ConfigError (exit 104) that names
// `--out`, lists the registered outputs and suggests the nearest name.
import { didYouMean } from "../config/suggest.ts";
import { ConfigError } from "../shared/errors.ts";
import type { Output, OutputContext, OutputModule } from "./types.ts";

export function outputsFromFlags(specs: readonly string[], registry: Readonly<Record<string, OutputModule>>, context: OutputContext): Output[] {
  const usages = Object.values(registry)
    .map((m) => m.usage.split(/\s{2,}/)[0])
    .join(", ");
  const available = usages ? `outputs: ${usages}` : "no outputs are registered";
  return specs.map((spec) => {
    if (spec.trim() === "") throw new ConfigError("--out needs NAME=ARGUMENT", available);
    const eq = spec.indexOf("=");
    const name = (eq < 0 ? spec : spec.slice(0, eq)).trim();
    const module = registry[name];
    if (module === undefined) {
      throw new ConfigError(`--out ${spec}: there is no output "${name}"${didYouMean(name, Object.keys(registry))}`, `write --out NAME=ARGUMENT; ${available}`);
    }
    if (eq < 0) throw new ConfigError(`--out ${spec}: the output needs its argument, like --out ${module.usage.split(/\s{2,}/)[0]}`, available);
    return module.create(spec.slice(eq + 1), context);
  });
}
