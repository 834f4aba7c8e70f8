// The `sse:` step of the SSE protocol module: its schema (schema.ts), normalizer (normalize.ts)
// and runtime. Running it reads one stream on the VU's "sse" session (stream.ts `readStream`; the
// VU's cookies for the URL are sent unless the step sets a `cookie` header),
// records the session — `sse_sessions` 1 and `sse_session_failed` 0/1, tagged `error=<code>` when
// it failed — then (unless aborted) runs its checks and extractions on the stream view
// (event-view.ts: the last event's data as the body, counts by event name).
import type { TemplateScope } from "../../../config/plan.ts";
import { EMPTY_SCOPE } from "../../../config/templates.ts";
import { runChecks } from "../../../core/checks/run.ts";
import { missMessage, runExtractors } from "../../../core/extract/extractors.ts";
import type { Tags } from "../../../metrics/types.ts";
import type { StepKind } from "../../../plugin-api/types.ts";
import { streamView } from "../event-view.ts";
import { SSE_PROTOCOL, type SseSession } from "../session.ts";
import { normalizeSse } from "./normalize.ts";
import { sseStepSchema } from "./schema.ts";
import type { SseSpec } from "./spec.ts";

export const sseStep: StepKind<SseSpec> = {
  key: "sse",
  schema: sseStepSchema,
  normalize: normalizeSse,
  compile(spec, loc, cc) {
    const tags: Tags = Object.freeze({ ...cc.tags, scenario: cc.scenario, group: cc.group, name: spec.name });
    const failedTags = new Map<string, Tags>();
    const tagsFor = (code: string | undefined): Tags => {
      if (code === undefined) return tags;
      let found = failedTags.get(code);
      if (!found) failedTags.set(code, (found = Object.freeze({ ...tags, error: code })));
      return found;
    };
    const checks = cc.compileChecks(spec.checks, cc.group);
    const extract = cc.compileExtractions(spec.extract);
    const renderHeaders = (scope: TemplateScope) => spec.headers.map(([name, t]) => [name, t.render(scope)] as const);
    const fixedHeaders = spec.headers.every(([, t]) => t.isStatic) ? renderHeaders(EMPTY_SCOPE) : undefined;
    // Joined at first use: a relative URL without a baseUrl fails the iteration, not the VU's creation.
    let fixedUrl: string | undefined;
    const urlOf = (scope: TemplateScope): string => {
      if (fixedUrl !== undefined) return fixedUrl;
      const url = cc.joinUrl(spec.url.render(scope));
      if (spec.url.isStatic) fixedUrl = url;
      return url;
    };
    return {
      kind: "sse",
      loc,
      async run(vu, signal) {
        const url = urlOf(vu.scope);
        const headers = fixedHeaders ?? renderHeaders(vu.scope);
        const cookie = vu.cookies.cookieHeader(new URL(url));
        const request = { url, headers: cookie === "" || headers.some(([name]) => name === "cookie") ? headers : [...headers, ["cookie", cookie] as const], tls: spec.tls, timeout: spec.timeout, events: spec.events };
        const outcome = await vu.session<SseSession>(SSE_PROTOCOL).read(request, tags, signal);
        const sessionTags = tagsFor(outcome.error?.code);
        vu.metrics.add("sse_sessions", 1, sessionTags);
        vu.metrics.add("sse_session_failed", outcome.error === undefined ? 0 : 1, sessionTags);
        if (signal.aborted || (checks.length === 0 && extract.length === 0)) return;
        const view = streamView(url, outcome);
        if (checks.length > 0) runChecks(checks, view, vu.scope, vu.metrics);
        if (extract.length > 0) runExtractors(extract, view, vu.scope.vars, vu.cookies, (miss) => vu.warn(missMessage(miss)));
      },
    };
  },
};
