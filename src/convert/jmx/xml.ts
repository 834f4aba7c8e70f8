// A JMX file (JMeter's XStream-written test plan) as a tree of test elements. Pure.
//
// The file's shape: `<jmeterTestPlan><hashTree>` holds a sequence where every test element is
// followed by the `<hashTree>` of its children (JMeter's HashTree; the order of siblings is the
// order JMeter runs them, so it is kept). A test element's own XML children are its properties:
// `stringProp`/`boolProp`/`intProp`/`longProp`/`doubleProp`/`floatProp` (text),
// `elementProp` (a nested element of properties) and `collectionProp` (a list of properties).
//
// Parsing uses fast-xml-parser with `preserveOrder` (sibling order matters); its validator gives
// the line and column of malformed XML, thrown as `ConvertInputError`. Limits: the input size,
// the element nesting depth and the element count (so a hostile file costs bounded work), and no
// DOCTYPE (a JMX never has one; refusing it rules out entity expansion).
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ConvertInputError } from "../types.ts";

/** Inputs past this are refused: real plans are well under a megabyte. */
export const MAX_JMX_BYTES = 32 * 1024 * 1024;
/** XML nesting past this is refused (JMeter's own plans nest a few dozen deep). */
export const MAX_JMX_DEPTH = 256;
/** Test elements past this are refused. */
export const MAX_JMX_ELEMENTS = 200_000;

/** One property of a test element. */
export interface JmxProp {
  /** `stringProp`, `boolProp`, `elementProp`, `collectionProp`, … */
  readonly tag: string;
  /** The `name` attribute ("" when absent). */
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** The text of a scalar property. */
  readonly text: string;
  /** The nested properties of an `elementProp` or `collectionProp`, in order. */
  readonly props: readonly JmxProp[];
}

/** A test element with its properties and the children of its hashTree. */
export interface JmxElement {
  /** The XML tag: `ThreadGroup`, `HTTPSamplerProxy`, `kg.apc.jmeter.threads.UltimateThreadGroup`, … */
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** 1-based line of the element's start tag. */
  readonly line: number;
  readonly props: readonly JmxProp[];
  readonly children: readonly JmxElement[];
}

type OrderedNode = Record<string, unknown>;

const ATTRS = ":@";
const TEXT = "#text";
const CDATA = "#cdata";

/** Parses a JMX document into its root elements (normally one Test Plan). */
export function parseJmx(source: string, fileName: string): JmxElement[] {
  if (source.length > MAX_JMX_BYTES) {
    throw new ConvertInputError(`the file is larger than ${MAX_JMX_BYTES / 1024 / 1024} MiB, more than any JMeter plan needs`, fileName, 1, 1);
  }
  const doctype = /<!DOCTYPE/i.exec(source);
  if (doctype) {
    const { line, column } = lineColumn(source, doctype.index);
    throw new ConvertInputError("a DOCTYPE is not allowed in a JMX file (JMeter never writes one)", fileName, line, column);
  }
  const valid = XMLValidator.validate(source, { allowBooleanAttributes: true });
  if (valid !== true) {
    throw new ConvertInputError(`not well-formed XML: ${valid.err.msg}`, fileName, valid.err.line, valid.err.col);
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    cdataPropName: CDATA,
    processEntities: true,
    htmlEntities: true,
    captureMetaData: true,
    maxNestedTags: MAX_JMX_DEPTH,
  });
  let doc: OrderedNode[];
  try {
    doc = parser.parse(source) as OrderedNode[];
  } catch (error) {
    throw new ConvertInputError(`cannot read the XML: ${(error as Error).message}`, fileName, 1, 1);
  }
  const lines = lineStarts(source);
  const meta = XMLParser.getMetaDataSymbol() as unknown as symbol;
  const lineOf = (node: OrderedNode): number => {
    const start = (node as Record<symbol, { startIndex?: number } | undefined>)[meta]?.startIndex;
    return start === undefined ? 1 : lineAt(lines, start);
  };

  const root = doc.find((node) => tagOf(node) === "jmeterTestPlan");
  if (!root) {
    const first = doc.find((node) => tagOf(node) !== "?xml" && tagOf(node) !== TEXT);
    throw new ConvertInputError(
      `this is not a JMeter test plan: the root element is <${first ? tagOf(first) : "nothing"}>, expected <jmeterTestPlan>`,
      fileName,
      first ? lineOf(first) : 1,
      1,
    );
  }
  let count = 0;
  const tree = (nodes: OrderedNode[], depth: number): JmxElement[] => {
    if (depth > MAX_JMX_DEPTH) throw new ConvertInputError(`test elements nest more than ${MAX_JMX_DEPTH} deep`, fileName, 1, 1);
    const elements: JmxElement[] = [];
    const items = nodes.filter((node) => tagOf(node) !== TEXT && tagOf(node) !== CDATA && !tagOf(node).startsWith("#"));
    for (let i = 0; i < items.length; i++) {
      const node = items[i]!;
      const tag = tagOf(node);
      if (tag === "hashTree") continue; // a hashTree without an element before it: nothing to attach it to
      if (++count > MAX_JMX_ELEMENTS) throw new ConvertInputError(`more than ${MAX_JMX_ELEMENTS} test elements`, fileName, lineOf(node), 1);
      const next = items[i + 1];
      const children = next && tagOf(next) === "hashTree" ? tree(childrenOf(next), depth + 1) : [];
      if (next && tagOf(next) === "hashTree") i++;
      elements.push({ tag, attrs: attrsOf(node), line: lineOf(node), props: propsOf(childrenOf(node)), children });
    }
    return elements;
  };
  const top = childrenOf(root).find((node) => tagOf(node) === "hashTree");
  return top ? tree(childrenOf(top), 0) : [];
}

function propsOf(nodes: OrderedNode[]): JmxProp[] {
  const props: JmxProp[] = [];
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag.startsWith("#")) continue;
    const children = childrenOf(node);
    const attrs = attrsOf(node);
    props.push({ tag, name: attrs.name ?? "", attrs, text: textOf(children), props: propsOf(children) });
  }
  return props;
}

function tagOf(node: OrderedNode): string {
  for (const key of Object.keys(node)) if (key !== ATTRS) return key;
  return "";
}

function childrenOf(node: OrderedNode): OrderedNode[] {
  const value = node[tagOf(node)];
  return Array.isArray(value) ? (value as OrderedNode[]) : [];
}

function attrsOf(node: OrderedNode): Record<string, string> {
  const attrs = node[ATTRS];
  const out: Record<string, string> = Object.create(null);
  if (attrs && typeof attrs === "object") for (const [k, v] of Object.entries(attrs)) out[k] = String(v);
  return out;
}

function textOf(nodes: OrderedNode[]): string {
  let text = "";
  for (const node of nodes) {
    if (TEXT in node) text += String(node[TEXT]);
    else if (CDATA in node) text += textOf(childrenOf(node));
  }
  return text;
}

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function lineColumn(source: string, offset: number): { line: number; column: number } {
  const starts = lineStarts(source.slice(0, offset + 1));
  const line = lineAt(starts, offset);
  return { line, column: offset - starts[line - 1]! + 1 };
}
