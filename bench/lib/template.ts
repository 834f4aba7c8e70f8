// Renders the plan templates in bench/plans: `__NAME__` placeholders, every one required.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const PLANS_DIR = join(import.meta.dir, "..", "plans");

export function renderTemplate(text: string, values: Record<string, string | number>): string {
  const out = text.replace(/__([A-Z0-9_]+)__/g, (whole, key: string) => {
    if (!(key in values)) throw new Error(`template placeholder ${whole} has no value`);
    return String(values[key]);
  });
  return out;
}

/** Renders bench/plans/<name> into `dir/<outName>` and returns the written path. */
export function writePlan(name: string, dir: string, outName: string, values: Record<string, string | number>): string {
  const path = join(dir, outName);
  writeFileSync(path, renderTemplate(readFileSync(join(PLANS_DIR, name), "utf8"), values));
  return path;
}
