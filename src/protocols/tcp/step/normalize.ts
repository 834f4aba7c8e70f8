// A `tcp:` step → TcpStepSpec: defaults (timeouts, TLS) merged, the payload and the expected
// reply compiled, `expect`'s contains/matches turned into the shared body check. Called by the
// plan loader through `tcpStep.normalize`.
import type { Path } from "../../../config/issues.ts";
import type { TlsSpec } from "../../../config/plan.ts";
import type { StepNormalizeContext } from "../../../config/syntax.ts";
import { bool, isRecord, ms, num, rec, str, template } from "../../../config/normalize/context.ts";
import { normalizeTags } from "../../../config/normalize/tags.ts";
import { normalizePayload } from "../payload.ts";
import { expectChecks } from "./expect-checks.ts";
import type { TcpExpectSpec, TcpStepSpec } from "./spec.ts";

/** How long a reply is awaited when neither `expect.timeout` nor the step's `timeout` says. */
const DEFAULT_EXPECT_TIMEOUT_MS = 10_000;

export function normalizeTls(raw: unknown, defaults: TlsSpec): TlsSpec | undefined {
  if (raw === undefined || raw === false) return undefined;
  const t = rec(raw);
  const tls: TlsSpec = { ...defaults, insecure: bool(t.insecure, defaults.insecure) };
  const serverName = str(t.serverName);
  if (serverName !== undefined) tls.serverName = serverName;
  return tls;
}

export function normalizeTcp(step: Record<string, unknown>, stepPath: Path, nc: StepNormalizeContext): TcpStepSpec {
  const { ctx, env, defaults } = nc;
  const path = [...stepPath, "tcp"];
  const r = rec(step.tcp);
  const target = template(ctx, r.target, [...path, "target"], env);
  const stepTimeout = ms(r.timeout, Math.min(defaults.timeout, DEFAULT_EXPECT_TIMEOUT_MS));
  let expect: TcpExpectSpec | undefined;
  const checks = [];
  if (isRecord(r.expect)) {
    const e = r.expect;
    const expectPath = [...path, "expect"];
    if (e.until !== undefined && e.length !== undefined) {
      ctx.issues.error([...expectPath, "length"], "a reply ends at `until` or after `length` bytes, not both", { at: "key", hint: "keep one of them" });
    }
    if (e.until === "") ctx.issues.error([...expectPath, "until"], "`until` is empty; name the delimiter (e.g. \"\\n\")");
    expect = { timeout: ms(e.timeout, stepTimeout) };
    const until = str(e.until);
    if (until) expect.until = until;
    else if (typeof e.length === "number") expect.length = num(e.length, 1);
    checks.push(...expectChecks(e, expectPath, ctx, env));
  }
  checks.push(...nc.normalizeChecks(r.checks, [...path, "checks"]));
  return {
    name: str(r.name) ?? target.source,
    tags: normalizeTags(r.tags, [...path, "tags"], ctx, env),
    target,
    tls: normalizeTls(r.tls, defaults.tls),
    send: normalizePayload(r.send, [...path, "send"], ctx, env),
    expect,
    connectTimeout: ms(r.connectTimeout, defaults.connectTimeout),
    keepAlive: bool(r.keepAlive, true),
    checks,
    extract: nc.normalizeExtractions(r.extract, [...path, "extract"]),
  };
}
