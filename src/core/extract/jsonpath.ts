// A small JSONPath subset for checks and extraction. Pure functions, no I/O; safe to call from
// any VU concurrently (compiled paths are immutable and cached).
//
// Supported syntax:
//   $                 the document root (optional: "data.token" means "$.data.token")
//   .key  ['key']     an object member ("key" quoting works too)
//   [0]   [-1]        an array element, negative indexes count from the end
//   [*]   .*          every element of an array / every member value of an object
//   ..key ..['key']   recursive descent: `key` on the node and on every descendant, document order
// Anything else (filters, slices, unions, scripts) is a syntax error: `parseJsonPath` throws a
// `JsonPathError`, `queryJson` treats it the same way (callers that accept user paths should
// validate them at load time with `parseJsonPath`).

export type JsonPathSegment =
  | { type: "key"; key: string }
  | { type: "index"; index: number }
  | { type: "wildcard" }
  | { type: "deep"; key: string };

export class JsonPathError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`invalid JSONPath "${path}": ${detail}`);
    this.name = "JsonPathError";
  }
}

const NAME_CHAR = /[^.[\]\s]/;
const cache = new Map<string, readonly JsonPathSegment[]>();
const CACHE_LIMIT = 1000;

/** Parses `path` into segments (cached). Throws `JsonPathError` on syntax the subset lacks. */
export function parseJsonPath(path: string): readonly JsonPathSegment[] {
  const hit = cache.get(path);
  if (hit) return hit;
  const segments = Object.freeze(parse(path));
  if (cache.size < CACHE_LIMIT) cache.set(path, segments);
  return segments;
}

function parse(path: string): JsonPathSegment[] {
  const out: JsonPathSegment[] = [];
  let i = 0;
  const fail = (detail: string): never => {
    throw new JsonPathError(path, detail);
  };
  if (path.startsWith("$")) i = 1;
  else if (path.length > 0 && NAME_CHAR.test(path[0]!)) out.push({ type: "key", key: readName() });

  function readName(): string {
    const start = i;
    while (i < path.length && NAME_CHAR.test(path[i]!)) i++;
    if (i === start) fail(`expected a member name at position ${start}`);
    return path.slice(start, i);
  }

  /** Reads `[...]` starting at `[`; returns the segment it denotes. */
  function readBracket(): JsonPathSegment {
    i++; // [
    const close = path.indexOf("]", i);
    const quote = path[i];
    if (quote === "'" || quote === '"') {
      const end = path.indexOf(quote, i + 1);
      if (end < 0 || path[end + 1] !== "]") fail(`unterminated ${quote}quoted${quote} name at position ${i}`);
      const key = path.slice(i + 1, end);
      i = end + 2;
      return { type: "key", key };
    }
    if (close < 0) fail(`missing "]" after position ${i}`);
    const inner = path.slice(i, close).trim();
    i = close + 1;
    if (inner === "*") return { type: "wildcard" };
    if (/^-?\d+$/.test(inner)) return { type: "index", index: Number(inner) };
    return fail(`unsupported selector "[${inner}]" (use [n], [-n], [*] or ['name'])`);
  }

  while (i < path.length) {
    const c = path[i];
    if (c === "[") {
      out.push(readBracket());
    } else if (c === "." && path[i + 1] === ".") {
      i += 2;
      if (path[i] === "[") {
        const seg = readBracket();
        if (seg.type !== "key") fail(`recursive descent supports only a member name ("..name")`);
        out.push({ type: "deep", key: (seg as { key: string }).key });
      } else {
        out.push({ type: "deep", key: readName() });
      }
    } else if (c === ".") {
      i++;
      if (path[i] === "*") {
        i++;
        out.push({ type: "wildcard" });
      } else {
        out.push({ type: "key", key: readName() });
      }
    } else {
      fail(`unexpected "${c}" at position ${i}`);
    }
  }
  return out;
}

/** Every value `path` selects in `doc`, in document order; [] when none (or the path is invalid). */
export function queryJson(doc: unknown, path: string): unknown[] {
  return run(doc, path, Infinity);
}

/** The first value `path` selects, or undefined when none does (or the path is invalid). */
export function queryFirst(doc: unknown, path: string): unknown {
  return run(doc, path, 1)[0];
}

function run(doc: unknown, path: string, limit: number): unknown[] {
  let segments: readonly JsonPathSegment[];
  try {
    segments = parseJsonPath(path);
  } catch {
    return [];
  }
  const out: unknown[] = [];
  walk(doc, segments, 0, out, limit);
  return out;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Depth-first evaluation; returns true once `limit` results are collected. */
function walk(node: unknown, segs: readonly JsonPathSegment[], at: number, out: unknown[], limit: number): boolean {
  if (at === segs.length) {
    out.push(node);
    return out.length >= limit;
  }
  if (node === null || typeof node !== "object") return false;
  const seg = segs[at]!;
  switch (seg.type) {
    case "key":
      if (Array.isArray(node) || !hasOwn.call(node, seg.key)) return false;
      return walk((node as Record<string, unknown>)[seg.key], segs, at + 1, out, limit);
    case "index": {
      if (!Array.isArray(node)) return false;
      const index = seg.index < 0 ? node.length + seg.index : seg.index;
      if (index < 0 || index >= node.length) return false;
      return walk(node[index], segs, at + 1, out, limit);
    }
    case "wildcard":
      for (const child of Array.isArray(node) ? node : Object.values(node)) {
        if (walk(child, segs, at + 1, out, limit)) return true;
      }
      return false;
    case "deep":
      return deep(node, seg.key, segs, at, out, limit);
  }
}

/** `..key`: the member `key` of `node` itself, then of every descendant, in document order. */
function deep(node: unknown, key: string, segs: readonly JsonPathSegment[], at: number, out: unknown[], limit: number): boolean {
  if (node === null || typeof node !== "object") return false;
  if (!Array.isArray(node) && hasOwn.call(node, key)) {
    if (walk((node as Record<string, unknown>)[key], segs, at + 1, out, limit)) return true;
  }
  for (const child of Array.isArray(node) ? node : Object.values(node)) {
    if (deep(child, key, segs, at, out, limit)) return true;
  }
  return false;
}
