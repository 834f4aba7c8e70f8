// Schemas of the two top-level keys user code brings (docs/hooks.md): `hooks:` names the plan's
// JS/TS hooks module (short form `hooks: ./hooks.ts`, long form with its grants and time limits),
// `metrics:` declares custom metrics (so thresholds on them validate and their type is known before
// the first sample). Shapes only; config/normalize/hooks.ts reads the module and the values.
import { byType, duration, list, map, optional, picklist, str, strict, type Schema } from "./helpers.ts";

/** What `allow:` may grant beyond the defaults (src/hooks/context.ts says what each one adds). */
export const HOOK_GRANTS = ["crypto", "timers", "performance"] as const;

export const METRIC_TYPES = ["counter", "rate", "gauge", "trend"] as const;
export const METRIC_CONTAINS = ["default", "time", "data"] as const;

const modulePath: Schema = str("a module path relative to the plan, e.g. ./hooks.ts");

export const hooksSchema: Schema = byType("a hooks module path (./hooks.ts) or { module, allow, timeout, setupTimeout }", {
  string: modulePath,
  object: strict(
    {
      module: modulePath,
      allow: optional(list(picklist(HOOK_GRANTS, "grant"), "grants")),
      timeout: optional(duration),
      setupTimeout: optional(duration),
    },
    "hooks",
  ),
});

export const metricsSchema: Schema = map(
  strict({ type: picklist(METRIC_TYPES, "metric type"), contains: optional(picklist(METRIC_CONTAINS, "contains")) }, "metric declaration"),
  "custom metrics (name: { type, contains })",
);
