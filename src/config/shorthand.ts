// A plan's top-level load model: k6's shortcut options (`vus`, `duration`, `iterations`,
// `stages`: PlanSyntax.shortcuts) with a top-level `flow:` are one implicit scenario named
// `default`, mapped as k6 maps them. Runs on the parsed YAML before validation, so that scenario
// is checked like any other; the origin rules it returns make every problem with it point at the
// top-level key it came from. Beside `scenarios:`, the shortcuts and a top-level flow are errors
// at their keys (k6 refuses a shortcut together with scenarios too). Pure apart from `issues`.
import type { IssueCollector, Origin, Path } from "./issues.ts";
import type { ShortcutSyntax } from "./syntax.ts";
import { isRecord } from "./normalize/context.ts";

/** The name of the scenario a top-level load model describes (k6's). */
export const IMPLICIT_SCENARIO = "default";

interface Desugared {
  data: unknown;
  /** Paths of the returned data → where they are written (config/issues.ts `movedOrigins`). */
  origins: Array<readonly [Path, Origin]>;
}

export function desugarShorthand(data: unknown, shortcuts: ShortcutSyntax, issues: IssueCollector): Desugared {
  if (!isRecord(data)) return { data, origins: [] };
  const keys = Object.keys(shortcuts.options).filter((key) => data[key] !== undefined);
  const hasFlow = data.flow !== undefined;
  if (keys.length === 0 && !hasFlow) {
    if (data.scenarios === undefined) {
      issues.error([], "the plan has nothing to run", {
        hint: "write scenarios: (name: { executor, …, flow: [steps] }), or a top-level flow: [steps] with k6's vus, duration, iterations or stages",
      });
    }
    return { data, origins: [] };
  }
  const rest: Record<string, unknown> = { ...data };
  for (const key of [...keys, "flow"]) delete rest[key];

  if (data.scenarios !== undefined) {
    for (const key of keys) {
      issues.error([key], `top-level ${key} beside scenarios: (a top-level load model is one implicit scenario)`, {
        at: "key",
        hint: `set ${key} in the scenario it is meant for, or drop scenarios: and write the steps under a top-level flow:`,
      });
    }
    if (hasFlow) {
      issues.error(["flow"], "a top-level flow: beside scenarios: (it is the flow of the one implicit scenario)", {
        at: "key",
        hint: "move these steps into a scenario's flow:, or drop scenarios:",
      });
    }
    return { data: rest, origins: [] };
  }
  if (!hasFlow) {
    issues.error([keys[0]!], `${keys.join(", ")} describe the load of a flow, and the plan has none`, {
      at: "key",
      hint: "add flow: [steps] at the top of the plan: the steps every iteration runs",
    });
    return { data: rest, origins: [] };
  }

  const derived = shortcuts.derive(Object.fromEntries(keys.map((key) => [key, data[key]])));
  if (!derived.ok) {
    issues.error([derived.key], derived.message, { at: "key", hint: derived.hint });
    return { data: rest, origins: [] };
  }
  const at: Path = ["scenarios", IMPLICIT_SCENARIO];
  const origins: Array<readonly [Path, Origin]> = [
    [["scenarios"], { path: [] }],
    [at, { path: [] }],
    [[...at, "flow"], { path: ["flow"] }],
  ];
  const scenario: Record<string, unknown> = {};
  for (const option of derived.options) {
    scenario[option.key] = option.from !== undefined ? data[option.from] : option.value;
    origins.push([[...at, option.key], { path: [option.from ?? keys[0] ?? "flow"] }]);
  }
  scenario.flow = data.flow;
  return { data: { ...rest, scenarios: { [IMPLICIT_SCENARIO]: scenario } }, origins };
}
