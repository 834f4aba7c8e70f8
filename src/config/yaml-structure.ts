// Structural limits on a plan's YAML, checked before anything else reads it: the plan is input
// that may cross a trust boundary (a plan submitted to a controller), so its size, node count and
// nesting depth are bounded, and duplicate keys are found in linear time (the yaml package's own
// `uniqueKeys` check compares every key with every other: 40,000 keys took 10 s here).
import { isMap, isScalar, visit, type Document, type LineCounter } from "yaml";

/** A plan larger than this is refused before parsing; bulk data belongs in CSV files under `data:`. */
export const MAX_PLAN_BYTES = 4 * 1024 * 1024;
/** YAML nodes (maps, lists, scalars) in one plan. */
export const MAX_PLAN_NODES = 200_000;
/**
 * Nesting depth of YAML collections. Each nested `group`/`loop`/`if` adds about three levels, so
 * this allows flows nested ~40 deep; the same limit applies to `validate`, `run`, workers and agents.
 */
export const MAX_PLAN_DEPTH = 128;

export interface StructureProblem {
  message: string;
  hint?: string;
  /** Offset in the text. */
  offset: number;
}

/** The size problem of `text`, or undefined when it is within `MAX_PLAN_BYTES`. */
export function planSizeProblem(text: string): StructureProblem | undefined {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes <= MAX_PLAN_BYTES) return undefined;
  return {
    message: `the plan is ${(bytes / 1024 / 1024).toFixed(1)} MiB; plans are limited to ${MAX_PLAN_BYTES / 1024 / 1024} MiB`,
    hint: "put bulk data in CSV files under data: and reference them with ${data.FEED.COLUMN}",
    offset: 0,
  };
}

/**
 * Duplicate keys (every one, each naming the first), then node count and depth (the first
 * crossing only). Linear in the document's size.
 */
export function structureProblems(doc: Document, lineCounter: LineCounter): StructureProblem[] {
  const problems: StructureProblem[] = [];
  let nodes = 0;
  let tooMany = false;
  let tooDeep = false;
  visit(doc, (_key, node, path) => {
    nodes++;
    if (nodes > MAX_PLAN_NODES && !tooMany) {
      tooMany = true;
      problems.push({ message: `the plan has more than ${MAX_PLAN_NODES} YAML nodes`, hint: "put bulk data in CSV files under data:", offset: offsetOf(node) });
      return visit.BREAK;
    }
    // `path` holds the document, then each collection and pair above this node.
    const depth = path.filter((p) => !isPairLike(p)).length;
    if (depth > MAX_PLAN_DEPTH && !tooDeep) {
      tooDeep = true;
      problems.push({ message: `the plan nests deeper than ${MAX_PLAN_DEPTH} levels`, hint: "flatten nested groups, loops and ifs", offset: offsetOf(node) });
      return visit.BREAK;
    }
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        const at = offsetOf(pair.key);
        const first = seen.get(name);
        if (first === undefined) {
          seen.set(name, at);
          continue;
        }
        problems.push({
          message: `duplicate key "${name}" (first at line ${lineCounter.linePos(first).line}): keys must be unique in a map`,
          hint: "remove one of them, or merge their values",
          offset: at,
        });
      }
    }
    return undefined;
  });
  return problems;
}

function isPairLike(node: unknown): boolean {
  return typeof node === "object" && node !== null && "key" in node && "value" in node && !("items" in node);
}

function offsetOf(node: unknown): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0] ?? 0;
}
