// A native plugin (abi.ts): a shared library opened with bun:ffi, once per thread that loads it.
// TRUSTED CODE: it runs in loadr's process with its privileges and can crash it; nothing is
// checked but the lengths it reports (docs/plugins.md "Trust"). The input is passed as a pointer
// to the host's own buffer (`alloc` is not needed); the output is copied out before returning.
import { existsSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { MANIFEST_EXPORT, checkInputLength, checkOutputLength, parseManifest, type AbiFunction, type AbiPlugin } from "./abi.ts";
import { PluginFailure } from "./failure.ts";

export const NATIVE_EXTENSIONS = [".so", ".dylib", ".dll"] as const;
const PLATFORM_EXTENSION: Record<string, string> = { linux: ".so", darwin: ".dylib", win32: ".dll" };
const PLATFORMS = ["linux", "darwin", "win32"] as const;
const ARCHES = ["x64", "arm64"] as const;

const extensionFor = (platform: string) => PLATFORM_EXTENSION[platform] ?? ".so";

/**
 * The files a native plugin written as `path` may be, best first, for `platform`/`arch`: with
 * `./libfast.so` on linux-x64: `./libfast-linux-x64.so`, `./libfast.so`; on darwin-arm64:
 * `./libfast-darwin-arm64.dylib`, `./libfast.dylib` — whatever extension the plan wrote.
 */
export function nativeCandidates(path: string, platform: string = process.platform, arch: string = process.arch): string[] {
  const dir = dirname(path);
  const stem = basename(path, extname(path));
  const ext = extensionFor(platform);
  return [join(dir, `${stem}-${platform}-${arch}${ext}`), join(dir, `${stem}${ext}`)];
}

/** Every build of the plugin that exists beside `path`, for any platform (what a submission ships to agents). */
export function nativeVariants(path: string, exists: (p: string) => boolean = existsSync): string[] {
  const all = new Set<string>();
  for (const platform of PLATFORMS) for (const arch of ARCHES) for (const candidate of nativeCandidates(path, platform, arch)) all.add(candidate);
  return [...all].filter(exists);
}

/** Throws an Error saying what is wrong (the loader adds the file). */
export async function loadNativePlugin(path: string): Promise<AbiPlugin> {
  const file = nativeCandidates(path).find((candidate) => existsSync(candidate));
  if (file === undefined) throw new Error(`no build for ${process.platform}-${process.arch}: looked for ${nativeCandidates(path).join(", ")}`);
  const { dlopen, FFIType, toArrayBuffer } = await import("bun:ffi");
  const signature = { args: [FFIType.ptr, FFIType.u64, FFIType.ptr], returns: FFIType.ptr } as const;
  const open = (names: string[]) => {
    try {
      return dlopen(file, Object.fromEntries(names.map((name) => [name, signature])));
    } catch (error) {
      throw new Error(`cannot open ${file}: ${(error as Error).message}`);
    }
  };
  const caller = (symbol: (...args: unknown[]) => unknown, plugin: string, name: string) => (input: Uint8Array): Uint8Array => {
    checkInputLength(plugin, name, input.byteLength);
    const outLen = new BigUint64Array(1);
    // A zero-length buffer has no address: pass one byte, with length 0.
    const buffer = input.byteLength > 0 ? input : new Uint8Array(1);
    const outPtr = symbol(buffer, BigInt(input.byteLength), outLen) as number | null;
    const length = Number(outLen[0]);
    if (!outPtr) throw new PluginFailure(plugin, `${name} failed (it returned NULL)`);
    checkOutputLength(plugin, name, length);
    return length === 0 ? new Uint8Array(0) : new Uint8Array(toArrayBuffer(outPtr as never, 0, length)).slice();
  };
  const manifestLib = open([MANIFEST_EXPORT]);
  const manifest = parseManifest(caller(manifestLib.symbols[MANIFEST_EXPORT] as never, "(manifest)", MANIFEST_EXPORT)(new Uint8Array(0)));
  const names = Object.keys(manifest.functions);
  const lib = open(names);
  const functions = new Map<string, AbiFunction>();
  for (const name of names) {
    functions.set(name, { plugin: manifest.name, name, encoding: manifest.functions[name]!.encoding, call: caller(lib.symbols[name] as never, manifest.name, name) });
  }
  return { name: manifest.name, kind: "native", functions };
}
