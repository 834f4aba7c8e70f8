// Plans of nested groups, for the nesting-depth limit (config/yaml-structure.ts): the one
// `validate` accepts must load in a worker too.
import { BUILTINS } from "../../src/builtins.ts";
import { loadPlan } from "../../src/config/load.ts";

/** `groups` groups nested in each other around one request to `baseUrl`/. */
export function nestedPlan(groups: number, baseUrl: string): string {
  let flow = "";
  let indent = "      ";
  for (let i = 0; i < groups; i++) {
    flow += `${indent}- group: g${i}\n${indent}  steps:\n`;
    indent += "    ";
  }
  flow += `${indent}- request: { name: deep, url: / }\n`;
  return `name: deep\nbaseUrl: ${baseUrl}\nscenarios:\n  s:\n    executor: shared-iterations\n    vus: 1\n    iterations: 1\n    flow:\n${flow}`;
}

/** The most deeply nested such plan the loader accepts (every deeper one is refused). */
export function deepestPlan(baseUrl = "http://127.0.0.1:1"): { groups: number; text: string } {
  const loads = (groups: number) =>
    loadPlan({ text: nestedPlan(groups, baseUrl), file: "plan.yaml", baseDir: "/", env: {} }, { mode: "run", modules: BUILTINS }).ok;
  let groups = 1;
  while (loads(groups + 1)) {
    groups++;
    if (groups > 10_000) throw new Error("the loader accepts any nesting depth");
  }
  if (!loads(groups)) throw new Error("the loader refuses even one group");
  return { groups, text: nestedPlan(groups, baseUrl) };
}
