// Maps a dot path to its `line:col` in the YAML text, from the node ranges `yaml` records.
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from "yaml";
import type { Path, Locator } from "./issues.ts";
import type { SourceLoc } from "./plan.ts";

/**
 * A locator over one parsed document. For a path that does not (fully) exist — a missing
 * required key — it answers with the key of the deepest entry that does exist.
 */
export function createLocator(doc: Document, lineCounter: LineCounter, file: string): Locator {
  // Each map's pairs by key text, built on the first lookup: a plan with tens of thousands of
  // keys (and as many issues) is located in linear time, not quadratic.
  const indexes = new WeakMap<object, Map<string, Pair>>();
  const pairOf = (map: { items: unknown[] }, key: string): Pair | undefined => {
    let index = indexes.get(map);
    if (index === undefined) {
      index = new Map();
      for (const item of map.items) {
        if (!isPair(item)) continue;
        const text = keyText(item.key);
        if (text !== undefined && !index.has(text)) index.set(text, item);
      }
      indexes.set(map, index);
    }
    return index.get(key);
  };
  const at = (offset: number | undefined): SourceLoc => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { file, line, column: col };
  };
  return (path: Path, which: "key" | "value" = "value") => {
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = pairOf(node, String(segment));
        if (!pair) return at((keyNode ?? (node as Node)).range?.[0]);
        keyNode = pair.key as Node;
        if (last && which === "key") return at(keyNode.range?.[0]);
        node = pair.value ?? keyNode;
      } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
        node = node.items[segment];
        keyNode = node as Node;
      } else {
        return at((keyNode ?? (node as Node | undefined))?.range?.[0]);
      }
    }
    return at((node as Node | undefined)?.range?.[0]);
  };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}
