// Generators of plan text for the loader's properties: YAML-shaped noise, documents built from
// random values, valid plans mutated by structure and by text, deep nesting, huge keys and
// strings, maps with many (duplicate) keys, and anchors/aliases (including exponential ones).
// Every generator is bounded in size; the largest inputs (past the plan size limit) are rare.
import fc from "fast-check";
import { stringify } from "yaml";

/** Keys and values the plan format knows, so that random documents reach deep into validation. */
const PLAN_WORDS = [
  "name", "baseUrl", "defaults", "headers", "timeout", "data", "csv", "mode", "scenarios", "executor", "vus", "duration",
  "iterations", "flow", "request", "method", "url", "json", "body", "checks", "status", "extract", "group", "steps", "sleep",
  "loop", "while", "times", "if", "then", "else", "set", "thresholds", "threshold", "abortOnFail", "delayAbortEval", "cluster",
  "agents", "wait", "selector", "onAgentLoss", "startTime", "timeUnit", "preAllocatedVUs", "maxVUs", "stages", "target", "rate",
  "gracefulStop", "constant-vus", "ramping-vus", "shared-iterations", "per-vu-iterations", "constant-arrival-rate",
  "ramping-arrival-rate", "externally-controlled", "GET", "POST", "unique", "random", "sequential", "continue", "abort",
  "__proto__", "constructor", "toString", "prototype", "hasOwnProperty",
] as const;

const SCALARS = [
  "10s", "1ms", "0", "-1", "1e309", "NaN", ".inf", "-.inf", "~", "null", "true", "no", "0x1F", "0o17", "2024-01-01",
  "p(95)<500", "rate<0.01", "http://127.0.0.1:1", "/", "${env.BASE_URL}", "${env.X:-y}", "${vars.token}", "${data.users.name}",
  "${randomInt(1,99999999999999999999)}", "${", "$${", "${}", "${constructor}", "${env.__proto__}", "users.csv", "../users.csv",
  "/etc/hostname", "'quoted'", '"dq \\u0000"', "\u202e\u0000", "é✓𝄞",
] as const;

/** Characters that mean something to YAML, plus a few letters. */
const YAML_CHARS = [..."ab1:- \n\t[]{},&*!|>'\"#%@`?$\\~.<=^\r", "\u0000", "\ufeff", "é"];

export const yamlNoise: fc.Arbitrary<string> = fc.string({ unit: fc.constantFrom(...YAML_CHARS), maxLength: 600 });

const word = fc.oneof(fc.constantFrom(...PLAN_WORDS), fc.string({ maxLength: 12 }));
const scalar = fc.oneof(
  fc.constantFrom(...SCALARS),
  fc.integer().map(String),
  fc.double().map(String),
  fc.string({ maxLength: 30 }),
  word,
);

/** Lines of `indent [- ]key: value`, nested by indentation: near-valid YAML that reaches the schema. */
export const yamlLines: fc.Arbitrary<string> = fc
  .array(
    fc.record({
      indent: fc.nat({ max: 10 }),
      dash: fc.boolean(),
      key: fc.option(word, { nil: undefined }),
      value: fc.option(
        fc.oneof(scalar, scalar.map((s) => `[${s}, ${s}]`), scalar.map((s) => `{ ${s}: ${s} }`), fc.constantFrom("|", ">-", "&a", "*a", "!!str", "<<: *a")),
        { nil: undefined },
      ),
    }),
    { maxLength: 40 },
  )
  .map((lines) =>
    lines
      .map((l) => `${" ".repeat(l.indent)}${l.dash ? "- " : ""}${l.key !== undefined ? `${l.key}:` : ""}${l.value !== undefined ? ` ${l.value}` : ""}`)
      .join("\n"),
  );

/** A random JS value (plan-like keys at the top) written out as YAML. */
export const valueDocument: fc.Arbitrary<string> = fc
  .oneof(
    fc.dictionary(word, fc.jsonValue({ maxDepth: 4 }), { maxKeys: 12 }),
    fc.jsonValue({ maxDepth: 5 }),
    fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true }),
  )
  .map((value) => {
    try {
      return stringify(value) ?? "";
    } catch {
      return String(value);
    }
  });

/** Paths of every node in a JS value (map keys and list indexes). */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

type Edit = { kind: "replace"; value: unknown } | { kind: "delete" } | { kind: "add"; key: string; value: unknown };

function applyEdit(root: unknown, path: Array<string | number>, edit: Edit): unknown {
  if (path.length === 0) return edit.kind === "replace" ? edit.value : root;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (edit.kind === "replace") node[last] = edit.value;
  else if (edit.kind === "delete") {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else {
    const target = node[last];
    if (target && typeof target === "object" && !Array.isArray(target)) Object.defineProperty(target, edit.key, { value: edit.value, enumerable: true, writable: true, configurable: true });
    else if (Array.isArray(target)) target.push(edit.value);
  }
  return copy;
}

const editValue = fc.oneof(
  { weight: 3, arbitrary: scalar },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, [], {}, -1, 0, 1e21, Number.MAX_SAFE_INTEGER + 2, -0) },
  { weight: 1, arbitrary: fc.array(fc.record({ request: fc.record({ url: scalar }) }), { maxLength: 3 }) },
);

/** A valid plan (one of `bases`, as JS) with 1–4 structural edits, written out as YAML. */
export function structurallyMutated(bases: readonly unknown[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...bases),
      fc.array(fc.tuple(fc.nat(), fc.oneof(
        editValue.map((value): Edit => ({ kind: "replace", value })),
        fc.constant<Edit>({ kind: "delete" }),
        fc.tuple(word, editValue).map(([key, value]): Edit => ({ kind: "add", key, value })),
      )), { minLength: 1, maxLength: 4 }),
    )
    .map(([base, edits]) => {
      let doc = base;
      for (const [pick, edit] of edits) {
        const paths = pathsOf(doc);
        doc = applyEdit(doc, paths[pick % paths.length]!, edit);
      }
      return stringify(doc);
    });
}

/** A valid plan's text with 1–6 character-level edits (insert, delete, duplicate or swap lines). */
export function textuallyMutated(texts: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.tuple(fc.constant("insert" as const), fc.nat(), fc.oneof(fc.string({ unit: fc.constantFrom(...YAML_CHARS), maxLength: 8 }), scalar)),
    fc.tuple(fc.constant("delete" as const), fc.nat(), fc.integer({ min: 1, max: 40 })),
    fc.tuple(fc.constant("dup-line" as const), fc.nat(), fc.constant("")),
    fc.tuple(fc.constant("swap-lines" as const), fc.nat(), fc.nat().map(String)),
    fc.tuple(fc.constant("indent" as const), fc.nat(), fc.integer({ min: -4, max: 4 }).map(String)),
  );
  return fc.tuple(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([text, edits]) => {
    let t = text;
    for (const [kind, at, arg] of edits) {
      const lines = t.split("\n");
      const li = at % Math.max(1, lines.length);
      if (kind === "insert") {
        const i = at % (t.length + 1);
        t = t.slice(0, i) + arg + t.slice(i);
      } else if (kind === "delete") {
        const i = at % (t.length + 1);
        t = t.slice(0, i) + t.slice(i + Number(arg));
      } else if (kind === "dup-line") {
        lines.splice(li, 0, lines[li] ?? "");
        t = lines.join("\n");
      } else if (kind === "swap-lines") {
        const lj = Number(arg) % Math.max(1, lines.length);
        [lines[li], lines[lj]] = [lines[lj] ?? "", lines[li] ?? ""];
        t = lines.join("\n");
      } else {
        const d = Number(arg);
        lines[li] = d >= 0 ? " ".repeat(d) + (lines[li] ?? "") : (lines[li] ?? "").slice(-d);
        t = lines.join("\n");
      }
    }
    return t;
  });
}

/** Collections nested `depth` deep, in every YAML style, around a plan or alone; up to past the depth limit. */
export const deepNesting: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1, max: 600 }), fc.constantFrom("flow-seq", "flow-map", "block-map", "block-seq", "groups"))
  .map(([depth, style]) => {
    switch (style) {
      case "flow-seq":
        return `name: ${"[".repeat(depth)}x${"]".repeat(depth)}\n`;
      case "flow-map":
        return `name: ${"{a: ".repeat(depth)}x${"}".repeat(depth)}\n`;
      case "block-map":
        return Array.from({ length: depth }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " x\n";
      case "block-seq":
        return Array.from({ length: depth }, (_, i) => `${" ".repeat(i * 2)}-`).join("\n") + " x\n";
      default: {
        let flow = "";
        let indent = "      ";
        for (let i = 0; i < Math.min(depth, 200); i++) {
          flow += `${indent}- group: g${i}\n${indent}  steps:\n`;
          indent += "    ";
        }
        return `baseUrl: http://127.0.0.1:1\nscenarios:\n  s:\n    executor: shared-iterations\n    flow:\n${flow}${indent}- sleep: 1ms\n`;
      }
    }
  });

/** A plan with one huge key or string (1 KB … 5 MB; past the 4 MiB plan limit now and then). */
export const hugeKeysAndStrings: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1_000, max: 200_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 200_000, max: 5_000_000 }) }),
    fc.constantFrom("key", "value", "url", "template", "scenario-name"),
    fc.constantFrom("x", "é", "${", "\\", "'", " "),
  )
  .map(([size, where, unit]) => {
    const big = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
    const quoted = JSON.stringify(big);
    const scenario = where === "scenario-name" ? quoted : "s";
    const url = where === "url" ? quoted : where === "template" ? JSON.stringify(`\${env.${big}}`) : "/";
    const extra = where === "key" ? `${quoted}: 1\n` : where === "value" ? `name: ${quoted}\n` : "";
    return `${extra}baseUrl: http://127.0.0.1:1\nscenarios:\n  ${scenario}:\n    executor: shared-iterations\n    flow:\n      - request: { url: ${url} }\n`;
  });

export type KeysWhere = "headers" | "top" | "scenarios";

/** A map of `min`–`max` keys, some repeated, in `where` (the loader must stay linear in the key count). */
export function manyKeys(where: readonly KeysWhere[], min: number, max: number): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min, max }), fc.array(fc.nat(), { maxLength: 5 }), fc.constantFrom(...where)).map(([n, dups, at]) => {
    const keys = Array.from({ length: n }, (_, i) => `k${i}`);
    for (const d of dups) keys.push(`k${d % n}`);
    const indent = at === "top" ? "" : at === "headers" ? "    " : "  ";
    const body = keys.map((k) => `${indent}${k}: ${at === "scenarios" ? "{ executor: shared-iterations, flow: [ { sleep: 1ms } ] }" : "v"}`).join("\n");
    if (at === "top") return `${body}\n`;
    if (at === "headers") return `defaults:\n  headers:\n${body}\nscenarios:\n  s: { executor: shared-iterations, flow: [ { sleep: 1ms } ] }\n`;
    return `baseUrl: http://127.0.0.1:1\nscenarios:\n${body}\n`;
  });
}

/** Anchors and aliases: exponential fan-out ("billion laughs"), merge keys, unknown and self references. */
export const aliases: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 2, max: 10 }), fc.constantFrom("laughs", "merge", "unknown", "self", "as-key", "in-flow"))
  .map(([levels, fanout, kind]) => {
    switch (kind) {
      case "laughs": {
        let text = "a0: &a0 [lol]\n";
        for (let i = 1; i <= levels; i++) text += `a${i}: &a${i} [${Array.from({ length: fanout }, () => `*a${i - 1}`).join(", ")}]\n`;
        return `${text}name: *a${levels}\nscenarios:\n  s: { executor: shared-iterations, flow: [ { sleep: 1ms } ] }\n`;
      }
      case "merge":
        return `base: &b { executor: shared-iterations, flow: [ { sleep: 1ms } ] }\nscenarios:\n  s:\n    <<: *b\n    vus: ${levels}\n  t: { <<: [*b, *b] }\n`;
      case "unknown":
        return `baseUrl: *nowhere\nscenarios: { s: *missing }\n`;
      case "self":
        return `a: &x [*x]\nscenarios: &s { s: *s }\n`;
      case "as-key":
        return `k: &k name\n*k : v\n? *k\n: w\n`;
      default:
        return `scenarios: { s: { executor: shared-iterations, flow: &f [ { sleep: 1ms }, *f ] } }\n`;
    }
  });
