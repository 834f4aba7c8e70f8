// A `udp:` step → UdpStepSpec: the payload compiled; `expect:` (its timeout, else the step's
// `timeout`, else DEFAULT_EXPECT_TIMEOUT_MS) and its contains/matches as the shared body check.
import type { Path } from "../../../config/issues.ts";
import type { StepNormalizeContext } from "../../../config/syntax.ts";
import { isRecord, ms, rec, str, template } from "../../../config/normalize/context.ts";
import { normalizeTags } from "../../../config/normalize/tags.ts";
import { normalizePayload } from "../../tcp/payload.ts";
import { expectChecks } from "../../tcp/step/expect-checks.ts";
import type { UdpStepSpec } from "./spec.ts";

const DEFAULT_EXPECT_TIMEOUT_MS = 5_000;

export function normalizeUdp(step: Record<string, unknown>, stepPath: Path, nc: StepNormalizeContext): UdpStepSpec {
  const { ctx, env } = nc;
  const path = [...stepPath, "udp"];
  const r = rec(step.udp);
  const target = template(ctx, r.target, [...path, "target"], env);
  const checks = [];
  let expectTimeout: number | undefined;
  if (isRecord(r.expect)) {
    expectTimeout = ms(r.expect.timeout, ms(r.timeout, DEFAULT_EXPECT_TIMEOUT_MS));
    checks.push(...expectChecks(r.expect, [...path, "expect"], ctx, env));
  }
  const ownChecks = nc.normalizeChecks(r.checks, [...path, "checks"]);
  if (ownChecks.length > 0 && expectTimeout === undefined) {
    ctx.issues.error([...path, "checks"], "checks need a reply, and this udp step expects none", { at: "key", hint: "add expect: { timeout: 1s }" });
  }
  checks.push(...ownChecks);
  return {
    name: str(r.name) ?? target.source,
    tags: normalizeTags(r.tags, [...path, "tags"], ctx, env),
    target,
    send: normalizePayload(r.send, [...path, "send"], ctx, env),
    expectTimeout,
    checks,
    extract: nc.normalizeExtractions(r.extract, [...path, "extract"]),
  };
}
