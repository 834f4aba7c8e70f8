// Reading a test element's properties by JMeter name (`HTTPSampler.path`, `LoopController.loops`):
// the first property of that name, scalar text or nested properties. Absent properties read as
// the caller's default, as JMeter reads them.
import type { JmxElement, JmxProp } from "./xml.ts";

type HasProps = Pick<JmxElement, "props"> | JmxProp;

export function prop(of: HasProps, name: string): JmxProp | undefined {
  return of.props.find((p) => p.name === name);
}

/** The text of a scalar property, or `fallback` when absent. */
export function str(of: HasProps, name: string, fallback = ""): string {
  const p = prop(of, name);
  return p === undefined ? fallback : p.text;
}

export function bool(of: HasProps, name: string, fallback = false): boolean {
  const p = prop(of, name);
  if (p === undefined) return fallback;
  const text = p.text.trim().toLowerCase();
  return text === "" ? fallback : text === "true";
}

/** The nested `elementProp` named `name`. */
export function element(of: HasProps, name: string): JmxProp | undefined {
  const p = prop(of, name);
  return p && p.tag === "elementProp" ? p : undefined;
}

/** The items of the `collectionProp` named `name` (none when absent). */
export function collection(of: HasProps, name: string): readonly JmxProp[] {
  const p = prop(of, name);
  return p && p.tag === "collectionProp" ? p.props : [];
}

/** JMeter's `Arguments` list (name → value pairs) inside the elementProp `name` (or `of` itself). */
export function argumentsOf(of: HasProps, name?: string): Array<{ name: string; value: string; prop: JmxProp }> {
  const holder = name === undefined ? of : element(of, name);
  if (!holder) return [];
  return collection(holder, "Arguments.arguments").map((arg) => ({
    name: str(arg, "Argument.name", arg.name),
    value: str(arg, "Argument.value"),
    prop: arg,
  }));
}

/** Whether the element is enabled (`enabled="false"` disables it and its subtree). */
export function isEnabled(el: JmxElement): boolean {
  return (el.attrs.enabled ?? "true").trim().toLowerCase() !== "false";
}

/** The element's class: `testclass`, else its tag. */
export function classOf(el: JmxElement): string {
  return el.attrs.testclass || el.tag;
}
