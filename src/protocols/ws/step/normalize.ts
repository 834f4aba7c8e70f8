// A `ws:` step → WsSpec: defaults merged in (headers, timeouts, TLS), each `session:` action
// compiled (templates, durations, its check and extractions). Called by the plan loader through
// `wsStep.normalize`. The schema has reported wrong shapes; this reports value-level problems
// (a relative URL without baseUrl, a scheme that is not ws/wss/http/https, base64 that is not).
import type { Path } from "../../../config/issues.ts";
import type { CheckSpec, Template } from "../../../config/plan.ts";
import type { StepNormalizeContext } from "../../../config/syntax.ts";
import { EMPTY_SCOPE } from "../../../config/templates.ts";
import { isAbsoluteUrl } from "../../../config/url.ts";
import { arr, bool, isRecord, ms, num, rec, str, template } from "../../../config/normalize/context.ts";
import { mergeHeaders } from "../../../config/normalize/request-defaults.ts";
import { EXPECT_OPTIONS } from "./schema.ts";
import { isBase64, type CloseSpec, type WsActionSpec, type WsSpec } from "./spec.ts";

const URL_SCHEMES = /^(wss?|https?):\/\//i;

export function normalizeWs(step: Record<string, unknown>, stepPath: Path, nc: StepNormalizeContext): WsSpec {
  const { ctx, env, defaults } = nc;
  const path = [...stepPath, "ws"];
  const r = rec(step.ws);
  const url = template(ctx, r.url, [...path, "url"], env);
  checkUrl(url, [...path, "url"], nc);
  const headers = Object.entries(rec(r.headers)).map(
    ([name, value]) => [name, template(ctx, value, [...path, "headers", name], env)] as [string, Template],
  );
  const timeout = ms(r.timeout, defaults.timeout);
  return {
    name: str(r.name) ?? url.source,
    url,
    headers: mergeHeaders(defaults.headers, headers),
    subprotocols: arr(r.subprotocols).flatMap((p) => (typeof p === "string" ? [p] : [])),
    timeout,
    connectTimeout: ms(r.connectTimeout, defaults.connectTimeout),
    tls: { ...defaults.tls, insecure: bool(r.insecure, defaults.tls.insecure) },
    session: arr(r.session).flatMap((raw, i) => normalizeAction(raw, [...path, "session", i], timeout, nc)),
    close: closeSpec(r.close),
    checks: nc.normalizeChecks(r.checks, [...path, "checks"]),
    extract: nc.normalizeExtractions(r.extract, [...path, "extract"]),
  };
}

function checkUrl(url: Template, path: Path, { ctx }: StepNormalizeContext): void {
  if (!url.isStatic || url.source.includes("${env.")) return;
  const rendered = url.render(EMPTY_SCOPE);
  if (rendered === "") return;
  if (isAbsoluteUrl(rendered) && !URL_SCHEMES.test(rendered)) {
    ctx.issues.error(path, `"${rendered}" is not a WebSocket URL`, { hint: "use ws:// or wss:// (or http(s)://, or a path relative to baseUrl)" });
  } else if (!isAbsoluteUrl(rendered) && !ctx.hasBaseUrl) {
    ctx.issues.error(path, `"${url.source}" is relative but the plan has no baseUrl`, { hint: "add baseUrl: at the top of the plan, or write a ws:// URL" });
  }
}

const closeSpec = (raw: unknown): CloseSpec => ({ code: num(rec(raw).code, 1000), reason: str(rec(raw).reason) ?? "" });

function normalizeAction(raw: unknown, path: Path, timeout: number, nc: StepNormalizeContext): WsActionSpec[] {
  const { ctx, env } = nc;
  if (!isRecord(raw)) return [];
  if (raw.send !== undefined) {
    if (!isRecord(raw.send)) return [{ kind: "send", text: template(ctx, raw.send, [...path, "send"], env) }];
    const binary = template(ctx, raw.send.binary, [...path, "send", "binary"], env);
    if (binary.isStatic && !isBase64(binary.render(EMPTY_SCOPE))) {
      ctx.issues.error([...path, "send", "binary"], `"${binary.source}" is not base64`, { hint: "binary messages are written as base64, e.g. aGVsbG8= for hello" });
    }
    return [{ kind: "sendBinary", binary }];
  }
  if (raw.expect !== undefined) {
    const expect = rec(raw.expect);
    const check = normalizeExpectCheck(expect, [...path, "expect"], nc);
    if (!check) return [];
    return [{ kind: "expect", check, timeout: ms(expect.timeout, timeout), extract: nc.normalizeExtractions(expect.extract, [...path, "expect", "extract"]) }];
  }
  if (raw.receive !== undefined) {
    const receive = rec(raw.receive);
    return [{ kind: "receive", count: num(receive.count, 1), timeout: ms(receive.timeout, timeout), extract: nc.normalizeExtractions(receive.extract, [...path, "receive", "extract"]) }];
  }
  if (raw.ping !== undefined) return [{ kind: "ping", timeout: ms(rec(raw.ping).timeout, timeout) }];
  if (raw.sleep !== undefined) return [{ kind: "sleep", ms: ms(raw.sleep, 0) }];
  if (raw.close !== undefined) return [{ kind: "close", close: closeSpec(raw.close) }];
  return [];
}

/**
 * The check of an `expect:` (its keys other than EXPECT_OPTIONS), dispatched like a `checks:` item
 * (config/normalize/checks.ts): the first key naming a check kind picks the kind.
 */
function normalizeExpectCheck(expect: Record<string, unknown>, path: Path, { ctx, env }: StepNormalizeContext): CheckSpec | undefined {
  const item: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(expect)) if (!(EXPECT_OPTIONS as readonly string[]).includes(key)) item[key] = value;
  const kinds = ctx.syntax.checks;
  const kind = Object.keys(item).find((key) => Object.hasOwn(kinds, key));
  if (kind === undefined) return undefined;
  const made = kinds[kind]!.normalize(item, path, ctx, env);
  return made && { kind, name: str(item.name) ?? made.name, loc: ctx.issues.locate(path), spec: made.spec };
}
