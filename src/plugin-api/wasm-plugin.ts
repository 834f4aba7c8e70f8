// A WebAssembly plugin (abi.ts): compiled and instantiated once per thread that loads it, with
// no imports (loadr provides none: a module can compute, not reach the outside). Each call writes
// the input into the module's memory at `alloc(in_len)`, the `out_len` word at `alloc(4)`, and
// copies the output out; a trap is a PluginFailure naming the plugin and the function.
import { readFileSync } from "node:fs";
import { MANIFEST_EXPORT, MAX_ABI_BYTES, checkInputLength, checkOutputLength, parseManifest, type AbiFunction, type AbiPlugin } from "./abi.ts";
import { PluginFailure } from "./failure.ts";

/** Throws an Error saying what is wrong with the module (the loader adds the file). */
export async function loadWasmPlugin(file: string): Promise<AbiPlugin> {
  const bytes = readFileSync(file);
  if (bytes.byteLength > MAX_ABI_BYTES * 4) throw new Error(`the module is ${bytes.byteLength} bytes; at most ${MAX_ABI_BYTES * 4} are allowed`);
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (error) {
    throw new Error(`not a valid WebAssembly module: ${(error as Error).message}`);
  }
  const imports = WebAssembly.Module.imports(module);
  if (imports.length > 0) {
    throw new Error(`it imports ${imports.map((i) => `${i.module}.${i.name}`).join(", ")}; loadr gives WebAssembly plugins no imports (build it without WASI or host functions)`);
  }
  const instance = await WebAssembly.instantiate(module, {});
  const exports = instance.exports as Record<string, unknown>;
  const memory = exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error(`it exports no "memory"; the ABI needs the module's memory exported as "memory"`);
  const alloc = exports.alloc;
  if (typeof alloc !== "function") throw new Error(`it exports no "alloc" function; the ABI needs alloc(n) → pointer`);
  const callExport = (name: string, plugin: string) => {
    const fn = exports[name];
    if (typeof fn !== "function") throw new Error(`it exports no function "${name}"`);
    return (input: Uint8Array): Uint8Array => {
      checkInputLength(plugin, name, input.byteLength);
      try {
        const inPtr = Number((alloc as (n: number) => number)(input.byteLength)) >>> 0;
        const outLenPtr = Number((alloc as (n: number) => number)(4)) >>> 0;
        let view = new Uint8Array(memory.buffer);
        if (inPtr + input.byteLength > view.byteLength || outLenPtr + 4 > view.byteLength) throw new PluginFailure(plugin, `alloc returned a pointer outside the module's memory`);
        view.set(input, inPtr);
        const outPtr = Number((fn as (a: number, b: number, c: number) => number)(inPtr, input.byteLength, outLenPtr)) >>> 0;
        view = new Uint8Array(memory.buffer); // the call may have grown the memory
        const outLen = new DataView(memory.buffer).getUint32(outLenPtr, true);
        if (outPtr === 0) throw new PluginFailure(plugin, `${name} failed (it returned NULL)`);
        checkOutputLength(plugin, name, outLen);
        if (outPtr + outLen > view.byteLength) throw new PluginFailure(plugin, `${name} returned an output outside the module's memory`);
        return view.slice(outPtr, outPtr + outLen);
      } catch (error) {
        if (error instanceof PluginFailure) throw error;
        const trap = error instanceof WebAssembly.RuntimeError ? "trap" : "error";
        throw new PluginFailure(plugin, `${name}: ${trap}: ${String((error as Error)?.message ?? error).replace(/ \(evaluating '.*'\)$/, "")}`);
      }
    };
  };
  const manifest = parseManifest(callExport(MANIFEST_EXPORT, "(its manifest)")(new Uint8Array(0)));
  const functions = new Map<string, AbiFunction>();
  for (const [name, spec] of Object.entries(manifest.functions)) {
    functions.set(name, { plugin: manifest.name, name, encoding: spec.encoding, call: callExport(name, manifest.name) });
  }
  return { name: manifest.name, kind: "wasm", functions };
}
