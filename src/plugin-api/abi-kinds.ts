// What WebAssembly and native plugins (abi.ts) register: each function as a template function
// (`${score(vars.user)}`), and, shared by all of them, the `wasm` step and the `wasm` check,
// which call a function by name. A module set built per load (load-plugins.ts) over the plugins
// that load loaded; the functions run on the VU's own task, synchronously.
//
//   - wasm: { call: NAME, vars: [a, b] }   the VU's variables (all, or those listed) as a JSON
//                                          object in; a JSON object out, each key set as a variable
//   checks: [{ wasm: NAME }]               the response {status, headers, body} as JSON in (raw:
//                                          the body); passes when the output is `true`
import type { TemplateFunction } from "../config/expression/functions.ts";
import type { VarValue } from "../config/plan.ts";
import { checkMap } from "../config/schema/checks.ts";
import { list, optional, str, strict } from "../config/schema/helpers.ts";
import { arr, rec } from "../config/normalize/context.ts";
import { didYouMean } from "../config/suggest.ts";
import type { IssueCollector, Path } from "../config/issues.ts";
import { decodeJson, decodeText, encodeArgs, encodeJson, toValue, type AbiFunction, type AbiPlugin } from "./abi.ts";
import { PluginFailure } from "./failure.ts";
import type { ModuleSet } from "./merge.ts";
import type { CheckKind, StepKind } from "./types.ts";

export const ABI_KIND = "wasm";

interface WasmStepSpec {
  fn: string;
  vars: string[] | undefined;
}

/** The module set of the ABI plugins `plugins` (none: undefined). Throws when two define one function name. */
export function abiModules(plugins: readonly AbiPlugin[]): ModuleSet | undefined {
  if (plugins.length === 0) return undefined;
  const byName = new Map<string, AbiFunction>();
  for (const plugin of plugins) {
    for (const fn of plugin.functions.values()) {
      const twin = byName.get(fn.name);
      if (twin) throw new Error(`template function "${fn.name}" is registered twice: by plugin "${twin.plugin}" and by plugin "${fn.plugin}"`);
      byName.set(fn.name, fn);
    }
  }
  const functions: Record<string, TemplateFunction> = Object.create(null);
  for (const fn of byName.values()) functions[fn.name] = templateFunction(fn);
  const names = [...byName.keys()];
  const find = (name: unknown, issues: IssueCollector, path: Path): string | undefined => {
    if (typeof name !== "string") return undefined;
    if (byName.has(name)) return name;
    issues.error(path, `no WebAssembly or native plugin function "${name}"${didYouMean(name, names)}`, { hint: `the plugins' functions: ${names.join(", ")}` });
    return undefined;
  };

  const step: StepKind<WasmStepSpec> = {
    key: ABI_KIND,
    schema: () => strict({ [ABI_KIND]: strict({ call: str("a plugin function's name"), vars: optional(list(str("a variable name"), "variable names")) }, "wasm step") }, "wasm step"),
    normalize(raw, path, { ctx }) {
      const body = rec(raw[ABI_KIND]);
      const fn = find(body.call, ctx.issues, [...path, ABI_KIND, "call"]);
      if (fn === undefined) return undefined;
      return { fn, vars: body.vars === undefined ? undefined : arr(body.vars).map(String) };
    },
    compile(spec, loc) {
      const fn = byName.get(spec.fn);
      if (!fn) throw new Error(`${loc.file}:${loc.line}:${loc.column}: no plugin function "${spec.fn}" on this thread`);
      return {
        kind: ABI_KIND,
        loc,
        run(vu) {
          const vars = vu.scope.vars;
          const input = spec.vars ? Object.fromEntries(spec.vars.filter((n) => Object.hasOwn(vars, n)).map((n) => [n, vars[n]])) : { ...vars };
          const output = fn.encoding === "json" ? decodeJson(fn, fn.call(encodeJson(input))) : decodeText(fn.call(encodeJson(input)));
          if (typeof output !== "object" || output === null || Array.isArray(output)) {
            throw new PluginFailure(fn.plugin, `${fn.name} returned ${JSON.stringify(output)?.slice(0, 80)}; the wasm step needs a JSON object of variables`);
          }
          for (const [name, value] of Object.entries(output)) {
            const v = toValue(value);
            if (v === null) delete vars[name];
            else vars[name] = v as VarValue;
          }
        },
      };
    },
  };

  const check: CheckKind<{ fn: string }> = {
    key: ABI_KIND,
    schema: checkMap({ [ABI_KIND]: str("a plugin function's name") }, "wasm check"),
    normalize(raw, path, ctx) {
      const fn = find(raw[ABI_KIND], ctx.issues, [...path, ABI_KIND]);
      return fn === undefined ? undefined : { spec: { fn }, name: `${fn} passes` };
    },
    evaluate(spec, response) {
      const fn = byName.get(spec.fn);
      if (!fn) return false;
      if (fn.encoding === "raw") return decodeText(fn.call(new TextEncoder().encode(response.body))) === "true";
      return decodeJson(fn, fn.call(encodeJson({ status: response.status, headers: response.headers, body: response.body }))) === true;
    },
  };

  return { owner: `the WebAssembly/native plugins (${plugins.map((p) => p.name).join(", ")})`, functions, steps: { [ABI_KIND]: step }, checks: { [ABI_KIND]: check } };
}

function templateFunction(fn: AbiFunction): TemplateFunction {
  const raw = fn.encoding === "raw";
  return {
    params: raw ? "text" : "args...",
    minArgs: raw ? 1 : 0,
    maxArgs: raw ? 1 : 64,
    pure: false,
    call(args, at) {
      try {
        const output = fn.call(encodeArgs(fn, args));
        return raw ? decodeText(output) : toValue(decodeJson(fn, output));
      } catch (error) {
        if (error instanceof PluginFailure) throw new PluginFailure(error.plugin, error.detail, at);
        throw error;
      }
    },
  };
}
