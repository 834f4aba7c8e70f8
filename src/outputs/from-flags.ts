// Output requests → outputs, through the registry (src/outputs/registry.ts). A request comes from
// `--out NAME=ARGUMENT` (repeatable; k6's `-o`), from an entry of the plan's `outputs:` list
// (config/normalize/outputs.ts, options validated there), or from the controller's operator
// (`loadr controller --out`). Pure apart from the modules' factories; every mistake is a
// ConfigError (exit 104) that names where the output was asked for, lists the registered outputs
// and suggests the nearest name.
import type { OutputSpec } from "../config/plan.ts";
import { didYouMean } from "../config/suggest.ts";
import { ConfigError } from "../shared/errors.ts";
import type { Output, OutputContext, OutputModule } from "./types.ts";

/** One output to make: `OutputSpec` (config/plan.ts) is one too. */
export type OutputRequest = OutputSpec;

type Registry = Readonly<Record<string, OutputModule>>;

function available(registry: Registry): string {
  const usages = Object.values(registry)
    .map((m) => m.usage.split(/\s{2,}/)[0])
    .join(", ");
  return usages ? `outputs: ${usages}` : "no outputs are registered";
}

/** `--out` values as requests; `flag` names the flag in errors. */
export function requestsFromFlags(specs: readonly string[], registry: Registry, flag = "--out"): OutputRequest[] {
  return specs.map((spec) => {
    if (spec.trim() === "") throw new ConfigError(`${flag} needs NAME=ARGUMENT`, available(registry));
    const eq = spec.indexOf("=");
    const name = (eq < 0 ? spec : spec.slice(0, eq)).trim();
    const module = registry[name];
    if (module === undefined) {
      throw new ConfigError(`${flag} ${spec}: there is no output "${name}"${didYouMean(name, Object.keys(registry))}`, `write ${flag} NAME=ARGUMENT; ${available(registry)}`);
    }
    if (eq < 0) throw new ConfigError(`${flag} ${spec}: the output needs its argument, like ${flag} ${module.usage.split(/\s{2,}/)[0]}`, available(registry));
    return { name, argument: spec.slice(eq + 1), options: {}, origin: `${flag} ${spec}` };
  });
}

/** Makes every requested output (none started yet). */
export function createOutputs(requests: readonly OutputRequest[], registry: Registry, context: OutputContext): Output[] {
  return requests.map((request) => {
    const module = registry[request.name];
    if (module === undefined) throw new ConfigError(`${request.origin}: there is no output "${request.name}"${didYouMean(request.name, Object.keys(registry))}`, available(registry));
    return module.create(request.argument, request.options, { ...context, origin: request.origin });
  });
}

/** `--out` values straight to outputs. */
export function outputsFromFlags(specs: readonly string[], registry: Registry, context: OutputContext): Output[] {
  return createOutputs(requestsFromFlags(specs, registry), registry, context);
}
