// The host half of a ctx (src/hooks/bootstrap.ts `makeCtx`): reads and writes the VU's variables,
// its current feed rows, records custom metrics (declared under `metrics:` or implicit: a name
// used first in a hook is registered with the type it was used as, and its definition travels
// with the deltas, metrics/types.ts MetricDelta.definitions), and sends `ctx.http.request`
// through the VU's own HTTP session (the same protocol handler, metrics and cookies as its
// `request:` steps). Every function takes and returns primitives or JSON text and returns an
// error message instead of throwing.
import type { TemplateScope } from "../config/plan.ts";
import { VARIABLE_NAME } from "../config/expression/evaluator.ts";
import { isMetricName, type MetricRegistry } from "../metrics/registry.ts";
import type { MetricSink, MetricType, Tags } from "../metrics/types.ts";
import type { ProtocolSession, ResolvedRequest, ResponseView } from "../protocols/types.ts";
import { REQUEST_DEFAULTS } from "../config/normalize/request-defaults.ts";
import type { VuBridge } from "./context.ts";

/** Distinct tag sets remembered per VU for custom metrics (their frozen objects keep MetricStore's fast path). */
const MAX_CACHED_TAG_SETS = 256;
/** A `ctx.http.request` body and a response body handed to user code are cut at this size. */
export const MAX_HOOK_BODY_BYTES = 16 * 1024 * 1024;

export interface BridgeTarget {
  scope: TemplateScope;
  metrics: MetricSink;
  registry: MetricRegistry;
  /** Tags of every custom sample and of ctx.http requests (scenario, group). */
  tags: Tags;
  /** The HTTP session of this VU (opened on first use). */
  http(): ProtocolSession;
  joinUrl(url: string): string;
  signal?: AbortSignal;
}

const TYPES: readonly MetricType[] = ["counter", "rate", "gauge", "trend"];

export function createBridge(target: BridgeTarget): VuBridge {
  const tagCache = new Map<string, Tags>();
  const tagsOf = (json: string): Tags | string => {
    if (json === "") return target.tags;
    const cached = tagCache.get(json);
    if (cached) return cached;
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return "tags must be an object of strings";
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "tags must be an object of strings, e.g. { tier: \"gold\" }";
    const tags: Tags = { ...target.tags };
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return `tag "${k}" must be a string`;
      tags[k] = String(v);
    }
    Object.freeze(tags);
    if (tagCache.size < MAX_CACHED_TAG_SETS) tagCache.set(json, tags);
    return tags;
  };
  return {
    getVar: (name) => (Object.hasOwn(target.scope.vars, name) ? target.scope.vars[name] : undefined),
    setVar(name, value) {
      if (!VARIABLE_NAME.test(name)) return `"${name}" is not a variable name (letters, digits, _ and -; not starting with a digit)`;
      const problem = varProblem(value);
      if (problem) return `ctx.vars.${name}: ${problem}`;
      if (value === null || value === undefined) delete target.scope.vars[name];
      else target.scope.vars[name] = value as string | number | boolean;
      return undefined;
    },
    varNames: () => JSON.stringify(Object.keys(target.scope.vars)),
    dataJson: () => JSON.stringify(target.scope.data),
    declare(type, name) {
      if (!TYPES.includes(type as MetricType)) return `unknown metric type ${type}`;
      if (!isMetricName(name)) return `"${name}" is not a metric name: use letters, digits and _ (at most 128), not starting with a digit`;
      const known = target.registry.get(name);
      if (known && known.type !== type) return `metric "${name}" is a ${known.type}; it cannot be used as a ${type}`;
      if (!known) target.registry.register(name, type as MetricType, "default");
      return undefined;
    },
    record(type, name, value, tagsJson) {
      if (!Number.isFinite(value)) return `${type} "${name}": ${value} is not a finite number`;
      if (type === "counter" && value < 0) return `counter "${name}": ${value} is negative (counters only grow)`;
      const tags = tagsOf(tagsJson);
      if (typeof tags === "string") return `${type} "${name}": ${tags}`;
      target.metrics.add(name, value, tags);
      return undefined;
    },
    http(requestJson, resolve, reject) {
      let request: ResolvedRequest;
      try {
        request = resolvedRequest(JSON.parse(requestJson), target);
      } catch (error) {
        reject(`ctx.http.request: ${(error as Error).message}`);
        return;
      }
      let session: ProtocolSession;
      try {
        session = target.http();
      } catch (error) {
        reject(`ctx.http.request: ${(error as Error).message}`);
        return;
      }
      session.send(request, target.tags, target.signal).then(
        (response) => resolve(JSON.stringify(responseJson(response))),
        (error) => reject(`ctx.http.request: ${(error as Error)?.message ?? String(error)}`),
      );
    },
  };
}

/** Why `value` cannot be a VU variable, or undefined (null/undefined unset it). */
export function varProblem(value: unknown): string | undefined {
  if (value === null || value === undefined || typeof value === "string" || typeof value === "boolean") return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : `${value} is not a finite number`;
  return `a ${typeof value} cannot be a variable (strings, numbers, booleans; objects are stored as JSON text)`;
}

function resolvedRequest(raw: unknown, target: BridgeTarget): ResolvedRequest {
  if (typeof raw !== "object" || raw === null) throw new Error("expected { method, url, headers, body | json }");
  const r = raw as Record<string, unknown>;
  if (typeof r.url !== "string" || r.url === "") throw new Error("url is required");
  const method = typeof r.method === "string" ? r.method.toUpperCase() : "GET";
  const headers: Array<[string, string]> = [];
  if (typeof r.headers === "object" && r.headers !== null) {
    for (const [k, v] of Object.entries(r.headers)) headers.push([k.toLowerCase(), String(v)]);
  }
  let body: string | undefined;
  if (r.json !== undefined) {
    body = JSON.stringify(r.json);
    if (!headers.some(([k]) => k === "content-type")) headers.push(["content-type", "application/json"]);
  } else if (r.body !== undefined && r.body !== null) body = String(r.body);
  if (body !== undefined && body.length > MAX_HOOK_BODY_BYTES) throw new Error(`the body is past ${MAX_HOOK_BODY_BYTES} bytes`);
  const timeout = typeof r.timeout === "number" && r.timeout > 0 ? r.timeout : REQUEST_DEFAULTS.timeout;
  const url = target.joinUrl(r.url);
  return {
    name: typeof r.name === "string" ? r.name : url,
    method,
    url,
    headers,
    ...(body !== undefined ? { body } : {}),
    timeout,
    connectTimeout: REQUEST_DEFAULTS.connectTimeout,
    maxRedirects: REQUEST_DEFAULTS.maxRedirects,
    tls: { insecure: r.insecure === true },
  };
}

/** What user code sees of a response: headers as name → value (repeated ones joined by ", "). */
export function responseJson(response: ResponseView): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [k, values] of Object.entries(response.headers)) headers[k] = values.join(", ");
  const body = response.body.length > MAX_HOOK_BODY_BYTES ? response.body.slice(0, MAX_HOOK_BODY_BYTES) : response.body;
  const out: Record<string, unknown> = { status: response.status, headers, body, url: response.url, timings: response.timings };
  if (response.error) out.error = response.error.message;
  return out;
}
