// The values a top-level `const` of a k6 script can hold that are more than a constant: a custom
// metric (`new Trend/Counter/Rate/Gauge` → a `metrics:` declaration), a gRPC client, and a CSV
// data feed (`SharedArray` + `open()` + papaparse). Each records what it maps in the context.
import type { Node } from "acorn";
import { full } from "acorn-walk";
import type { K6Context, Scope } from "./context.ts";
import { dottedName, propertyName } from "./expressions.ts";
import type { Value } from "./values.ts";

type AnyNode = Node & Record<string, any>;

const METRIC_TYPES: Readonly<Record<string, "trend" | "counter" | "rate" | "gauge">> = { Trend: "trend", Counter: "counter", Rate: "rate", Gauge: "gauge" };

/** What `init` (the initializer of the top-level `const local`) is, when it is a metric, a gRPC client or a feed. */
export function initValueOf(init: AnyNode, scope: Scope, cx: K6Context, local: string): Value | undefined {
  return metricOf(init, scope, cx, local) ?? grpcClientOf(init, scope, cx) ?? feedOf(init, scope, cx, local);
}

/** `new grpc.Client()` (k6/net/grpc). */
function grpcClientOf(init: AnyNode, scope: Scope, cx: K6Context): Value | undefined {
  if (init.type !== "NewExpression" || init.callee.type !== "MemberExpression" || init.callee.object.type !== "Identifier") return undefined;
  const module = scope.get(init.callee.object.name)?.value;
  if (module?.kind !== "import" || module.module !== "k6/net/grpc" || propertyName(init.callee) !== "Client") return undefined;
  cx.note("mapped", "new grpc.Client()", init, "its invoke() calls become grpc steps");
  return { kind: "grpcClient", state: {} };
}

/** `new Trend("name", true)` → a metrics: declaration (contains: time when isTime). */
function metricOf(init: AnyNode, scope: Scope, cx: K6Context, local: string): Value | undefined {
  if (init.type !== "NewExpression" || init.callee.type !== "Identifier") return undefined;
  const imported = scope.get(init.callee.name)?.value;
  const type = imported?.kind === "import" && imported.module === "k6/metrics" ? METRIC_TYPES[imported.name] : undefined;
  if (!type) return undefined;
  const nameArg: AnyNode | undefined = init.arguments[0];
  const name = nameArg?.type === "Literal" && typeof nameArg.value === "string" ? nameArg.value : undefined;
  if (!name) {
    cx.note("dropped", `new ${init.callee.name}(…) as ${local}`, init, "the metric's name must be a string literal");
    return undefined;
  }
  const isTime = init.arguments[1]?.type === "Literal" && init.arguments[1].value === true;
  cx.metrics.set(name, { type, ...(isTime && type === "trend" ? { contains: "time" as const } : {}) });
  cx.note("mapped", `new ${init.callee.name}(${JSON.stringify(name)})`, init, `metrics: ${name} (${type}); its add() calls become hooks`);
  return { kind: "metric", metric: name, type };
}

/**
 * `new SharedArray("x", () => papaparse.parse(open("users.csv"), { header: true }).data)` and
 * `papaparse.parse(open("users.csv"), { header: true }).data` → a CSV data feed named after the
 * JavaScript binding. JSON files (`JSON.parse(open(…))`) are reported: loadr feeds are CSV.
 */
function feedOf(init: AnyNode, scope: Scope, cx: K6Context, local: string): Value | undefined {
  const isShared = init.type === "NewExpression" && init.callee.type === "Identifier" && (() => {
    const v = scope.get(init.callee.name)?.value;
    return v?.kind === "import" && v.module === "k6/data" && v.name === "SharedArray";
  })();
  let opened: string | undefined;
  let papa = false;
  let json = false;
  full(isShared ? init.arguments[1] ?? init : init, (n: AnyNode) => {
    if (n.type !== "CallExpression") return;
    if (n.callee.type === "Identifier" && n.callee.name === "open" && n.arguments[0]?.type === "Literal" && typeof n.arguments[0].value === "string") opened = n.arguments[0].value;
    const callee = dottedName(n.callee);
    if (callee && callee.at(-1) === "parse" && callee.length === 2 && scope.get(callee[0]!)?.value?.kind === "import" && (scope.get(callee[0]!)!.value as { module: string }).module === "papaparse") papa = true;
    if (callee?.join(".") === "JSON.parse") json = true;
  });
  if (!opened) {
    if (isShared) cx.note("dropped", `new SharedArray(…) as ${local}`, init, "its data does not come from open(\"file\")");
    return undefined;
  }
  if (!papa) {
    cx.note("dropped", `${local} = ${cx.snippet(init, 50)}`, init, json ? `loadr data feeds are CSV: convert ${opened} to CSV with a header row and add data: { ${local}: { csv: … } }` : "only CSV files parsed with papaparse become data feeds");
    return isShared ? { kind: "feed", feed: "" } : undefined;
  }
  const feed = local.replace(/[^A-Za-z0-9_-]/g, "_");
  cx.feeds.set(feed, { csv: opened });
  cx.files.push(opened);
  cx.note("mapped", `${local}: ${opened}`, init, `data feed ${feed} (columns by the CSV header)`);
  return { kind: "feed", feed };
}
