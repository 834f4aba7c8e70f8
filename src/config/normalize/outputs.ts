// A plan's `outputs:` list → OutputSpec[] (config/plan.ts), after the schema check
// (config/schema/outputs.ts). The argument and string option values may use `${env.*}`
// templates (rendered here, once, like `baseUrl`); durations become ms. Each spec remembers where
// it is written, so an output that cannot start names the line ("plan.yaml:12:5 outputs[0]").
import type { OutputSpec } from "../plan.ts";
import { EMPTY_SCOPE } from "../templates.ts";
import { arr, isRecord, ms, template, type NormalizeContext } from "./context.ts";

/** Option keys holding durations (the common `flushInterval`; an output's own end in `Interval`/`Timeout`). */
const isDurationKey = (key: string): boolean => key === "flushInterval" || /(Interval|Timeout)$/.test(key);

export function normalizeOutputs(raw: unknown, ctx: NormalizeContext): OutputSpec[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const env = ctx.source.env;
  const specs: OutputSpec[] = [];
  arr(raw).forEach((entry, index) => {
    if (!isRecord(entry)) return;
    const name = Object.keys(entry).find((key) => Object.hasOwn(ctx.syntax.outputs, key));
    if (name === undefined) return;
    const render = (value: unknown, path: Array<string | number>): string => template(ctx, value, path, env, false).render(EMPTY_SCOPE);
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry)) {
      if (key === name) continue;
      const path = ["outputs", index, key];
      if (isDurationKey(key)) options[key] = ms(value, 0);
      else if (typeof value === "string") options[key] = render(value, path);
      else if (key === "headers" && isRecord(value)) {
        options[key] = Object.fromEntries(Object.entries(value).map(([h, v]) => [h, render(v, [...path, h])]));
      } else options[key] = value;
    }
    const loc = ctx.issues.locate(["outputs", index], "value");
    specs.push({
      name,
      argument: render(entry[name], ["outputs", index, name]),
      options,
      origin: `${loc.file}:${loc.line}:${loc.column} outputs[${index}]`,
    });
  });
  return specs;
}
