// A plan's hooks module loaded into one isolated context (src/hooks/context.ts): bundled
// (src/hooks/bundle.ts), its top-level code run once under the setup time limit, its exports
// read. `call` runs one export under a time limit and turns every way it can fail (a throw, a
// rejection, the sync part's vm timeout, the async part's race lost, a hard stop) into a
// HookError naming the hook, the error and the module's own file:line:col (mapped through the
// bundle's source map; for a timeout, where the function is declared).
import type { HooksSpec } from "../config/plan.ts";
import { bundleHooks, type Bundle } from "./bundle.ts";
import { createHooksContext, type HooksContext, type HooksContextOptions } from "./context.ts";

const BUNDLE_FILE = "loadr-hooks-bundle.js";
const FRAME = /loadr-hooks-bundle\.js:(\d+):(\d+)/;
/** An error's text in a message is cut at this many characters (a hook may throw anything). */
const MAX_ERROR_TEXT = 500;

export class HookError extends Error {
  constructor(
    readonly hook: string,
    /** What went wrong, e.g. `Error: boom` or `timed out after 1s`. */
    readonly what: string,
    /** `hooks.ts:8:9` in the module's files, when known. */
    readonly at: string | undefined,
    /** The error's stack frames in the module's files (`at fn (hooks.ts:8:9)`), when it had any. */
    readonly frames: string[] = [],
  ) {
    super(`hook ${hook}: ${what}${at ? ` (${at})` : ""}`);
    this.name = "HookError";
  }
}

export interface LoadedHooks {
  readonly context: HooksContext;
  has(name: string): boolean;
  /**
   * Calls export `name` as `fn(ctx, ...args)` (`argsJson` "" for none; `ctx` may be undefined
   * for a raw call) under `timeoutMs`. Returns the value, or a promise of it when the function is
   * asynchronous; throws/rejects HookError.
   */
  call(name: string, ctx: object | undefined, argsJson: string, timeoutMs: number, signal?: AbortSignal, asResponse?: boolean): unknown;
  close(): void;
}

export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Loads `spec.module` from `baseDir` into a new context; throws BundleError or HookError (`(module)` is the hook of top-level code). */
export async function loadHooks(spec: HooksSpec, baseDir: string, log: HooksContextOptions["log"]): Promise<LoadedHooks> {
  const bundle = await bundleHooks(baseDir, spec.module);
  const context = createHooksContext({ grants: spec.allow, log });
  const locate = (error: unknown, hook: string): string | undefined => locateError(bundle, error) ?? declaration(bundle, spec.module, hook);
  const fail = (hook: string, error: unknown, timeoutMs: number): HookError => {
    if ((error as { code?: unknown })?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
      return new HookError(hook, `timed out after ${formatDuration(timeoutMs)}`, declaration(bundle, spec.module, hook));
    }
    if (error instanceof HookError) return error;
    return new HookError(hook, errorText(error), locate(error, hook), mappedFrames(bundle, error));
  };

  const wrapper = context.compile(`(function (module, exports) {\n${bundle.code}\n})`, BUNDLE_FILE);
  const module = context.api.prepareModule(wrapper);
  try {
    context.run(spec.setupTimeoutMs);
  } catch (error) {
    context.close();
    throw fail("(module top level)", error, spec.setupTimeoutMs);
  }
  const exports = module.exports;
  const fns = new Map<string, unknown>();
  for (const name of Object.keys(exports)) {
    const value = exports[name];
    if (typeof value === "function") fns.set(name, value);
  }

  const call = (name: string, ctx: object | undefined, argsJson: string, timeoutMs: number, signal?: AbortSignal, asResponse = false): unknown => {
    const fn = fns.get(name);
    if (fn === undefined) throw new HookError(name, `the hooks module ${spec.module} exports no function "${name}"`, `${spec.module}:1:1`);
    if (signal?.aborted) throw new HookError(name, "the run stopped before it ran", undefined);
    const started = performance.now();
    let result: unknown;
    try {
      context.api.prepare(fn, ctx, argsJson, asResponse);
      result = context.run(timeoutMs);
    } catch (error) {
      throw fail(name, error, timeoutMs);
    }
    if (context.api.kindOf(result) !== "promise") return result;
    const left = Math.max(1, timeoutMs - (performance.now() - started));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(() => reject(new HookError(name, `timed out after ${formatDuration(timeoutMs)}`, declaration(bundle, spec.module, name)))), left);
      const onAbort = () => finish(() => reject(new HookError(name, "interrupted: the run stopped", undefined)));
      signal?.addEventListener("abort", onAbort, { once: true });
      let settled = false;
      const finish = (then: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        then();
      };
      (result as Promise<unknown>).then(
        (value) => finish(() => resolve(value)),
        (error) => finish(() => reject(fail(name, error, timeoutMs))),
      );
    });
  };

  return {
    context,
    has: (name) => fns.has(name),
    call,
    close: () => context.close(),
  };
}

/** `Error: message` of whatever was thrown (an object of the context: read, never trusted). */
export function errorText(error: unknown): string {
  let text: string;
  try {
    if (typeof error === "object" && error !== null && typeof (error as Error).message === "string") {
      const name = typeof (error as Error).name === "string" ? (error as Error).name : "Error";
      text = `${name}: ${(error as Error).message}`;
    } else text = `threw ${typeof error === "string" ? JSON.stringify(error) : String(error)}`;
  } catch {
    text = "threw a value that cannot be shown";
  }
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}

/** The module file:line:col of the innermost bundle frame of `error`'s stack. */
function locateError(bundle: Bundle, error: unknown): string | undefined {
  let stack: unknown;
  try {
    stack = (error as { stack?: unknown })?.stack;
  } catch {
    return undefined;
  }
  if (typeof stack !== "string") return undefined;
  const frame = FRAME.exec(stack);
  if (!frame) return undefined;
  // The wrapper's first line sits above the bundle's first line.
  const position = bundle.map.original(Number(frame[1]) - 1, Number(frame[2]));
  return position ? `${position.source}:${position.line}:${position.column}` : undefined;
}

/** The stack's frames in the bundle, each with its position in the module's files. */
function mappedFrames(bundle: Bundle, error: unknown): string[] {
  let stack: unknown;
  try {
    stack = (error as { stack?: unknown })?.stack;
  } catch {
    return [];
  }
  if (typeof stack !== "string") return [];
  const frames: string[] = [];
  for (const line of stack.split("\n")) {
    const frame = FRAME.exec(line);
    if (!frame) continue;
    const position = bundle.map.original(Number(frame[1]) - 1, Number(frame[2]));
    const fn = /at\s+(\S+)\s+\(/.exec(line)?.[1];
    if (position) frames.push(`at ${fn && fn !== "<anonymous>" ? `${fn} ` : ""}(${position.source}:${position.line}:${position.column})`);
    if (frames.length >= 20) break;
  }
  return frames;
}

/** Where `name` is declared in the module's sources (for a timeout, which has no stack). */
function declaration(bundle: Bundle, module: string, name: string): string | undefined {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const pattern = new RegExp(`(?:function\\s*\\*?\\s*${name}\\s*\\(|(?:const|let|var)\\s+${name}\\s*=|^\\s*(?:async\\s+)?${name}\\s*\\()`, "m");
  const entry = module.replace(/^\.\//, "");
  const ordered = [...bundle.sources.entries()].sort(([a], [b]) => (a === entry ? -1 : b === entry ? 1 : 0));
  for (const [source, text] of ordered) {
    const match = pattern.exec(text);
    if (!match) continue;
    const before = text.slice(0, match.index + (match[0].length - match[0].trimStart().length));
    const line = before.split("\n").length;
    return `${source}:${line}:${before.length - before.lastIndexOf("\n")}`;
  }
  return undefined;
}
