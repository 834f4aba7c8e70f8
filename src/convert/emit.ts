// The YAML emitter every converter shares: a plan (a plain JSON value, keys in the order the
// converter gave them) → YAML formatted like a hand-written plan, under a comment block holding
// the conversion report. "Like hand-written": block style, no line folding, and a map or list of
// only scalars that fits on one short line is written inline (`checks: [{ status: 200 }]`, stage
// maps), as the reference plan (/work/shared/reference/plan.yaml) does. Pure.
import { Document, isMap, isPair, isScalar, isSeq, Scalar, type Node } from "yaml";
import { reportLines } from "./report.ts";
import type { Conversion } from "./types.ts";

/** Longest inline (flow) collection, in characters of its YAML text. */
const MAX_INLINE = 72;

export interface EmitOptions {
  /** "k6 script.js" — what was converted, for the heading. */
  readonly from: string;
}

/** The plan's YAML text, report first. */
export function emitPlan(conversion: Conversion, options: EmitOptions): string {
  const doc = new Document(conversion.plan);
  if (doc.contents) shape(doc.contents as Node, false);
  const lines = reportLines(conversion.notes, `Converted by \`loadr convert ${options.from}\`.`);
  if (conversion.files?.length) lines.push(`Data files this plan reads (next to it): ${conversion.files.join(", ")}`);
  const header = lines.map((l) => `# ${l}`.trimEnd()).join("\n");
  const body = doc.toString({ lineWidth: 0, flowCollectionPadding: true, indentSeq: true });
  return `${header}\n${body}`;
}

/**
 * Children first, then `node`: a string holding a template is double-quoted (as the docs advise,
 * docs/expressions.md); a collection is inlined by `inlineWhenSmall`.
 */
function shape(node: Node, inSeq: boolean): void {
  if (isScalar(node)) {
    if (typeof node.value === "string" && /[${}]/.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    return;
  }
  if (isMap(node)) {
    for (const pair of node.items) if (isPair(pair) && pair.value) shape(pair.value as Node, false);
  } else if (isSeq(node)) {
    for (const item of node.items) shape(item as Node, true);
  } else return;
  inlineWhenSmall(node, inSeq);
}

/**
 * Marks `node` as flow style when it holds only scalars (a list: or inlined maps) and is short.
 * A one-key map inside a list stays block style: `- sleep: 1s` already is one line.
 */
function inlineWhenSmall(node: Node, inSeq: boolean): void {
  if (!isMap(node) && !isSeq(node)) return;
  if (inSeq && isMap(node) && node.items.length === 1) return;
  const items = isMap(node) ? node.items.map((p) => p.value) : node.items;
  if (items.length === 0) {
    node.flow = true;
    return;
  }
  // A map inlines only scalars; a list also inlines maps that are inline themselves (stages, checks).
  const simple = items.every((item) => isScalar(item) || (isSeq(node) && isMap(item) && item.flow === true));
  if (!simple) return;
  node.flow = true;
  const text = new Document(node).toString({ lineWidth: 0, flowCollectionPadding: true }).trim();
  if (text.length > MAX_INLINE || text.includes("\n")) node.flow = false;
}
