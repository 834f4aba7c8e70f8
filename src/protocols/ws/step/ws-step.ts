// The `ws:` step of the WebSocket protocol module: its schema (schema.ts), normalizer
// (normalize.ts) and runtime. Running it is one session on the VU's "ws" session: connect, run the
// `session:` actions in order (actions.ts), close with `close:` (default 1000), then record the
// session and run the step's own checks and extractions on it (message-view.ts `sessionView`).
// Per session: `ws_sessions` 1 and `ws_session_failed` 0/1, tagged `error=<code>` when it failed;
// `ws_session_duration` once it opened; `ws_connecting`, `ws_msgs_*`, `data_*` by the connection.
// A failure (refused, handshake, server closed, malformed frame, timeout) ends the session at
// once: the actions not run fail their checks, so one failed session is one counted, tagged
// failure. With `signal` aborted the session ends promptly and no check or extraction runs.
import type { TemplateScope } from "../../../config/plan.ts";
import { EMPTY_SCOPE } from "../../../config/templates.ts";
import { runChecks } from "../../../core/checks/run.ts";
import { missMessage, runExtractors } from "../../../core/extract/extractors.ts";
import type { Tags } from "../../../metrics/types.ts";
import type { StepKind } from "../../../plugin-api/types.ts";
import type { WsConnectOptions } from "../connection.ts";
import { WS_PROTOCOL, type WsSession } from "../session.ts";
import { sessionView } from "../message-view.ts";
import { compileAction, type ActionContext } from "./actions.ts";
import { normalizeWs } from "./normalize.ts";
import { wsStepSchema } from "./schema.ts";
import type { WsSpec } from "./spec.ts";

/** `http(s)://` → `ws(s)://`, so a path relative to baseUrl reaches the same host. */
function toWsUrl(url: string): string {
  return url.replace(/^http(s?):\/\//i, (_match, s: string) => `ws${s}://`);
}

/** The upgrade request's headers plus the VU's cookies for its URL, unless the step sets `cookie` itself. */
function withCookies(headers: ReadonlyArray<readonly [string, string]>, cookie: string): ReadonlyArray<readonly [string, string]> {
  return cookie === "" || headers.some(([name]) => name === "cookie") ? headers : [...headers, ["cookie", cookie]];
}

/** Tags with `error` per failure code, built once per step. */
function errorTags(base: Tags): (code: string | undefined) => Tags {
  const byCode = new Map<string, Tags>();
  return (code) => {
    if (code === undefined) return base;
    let tags = byCode.get(code);
    if (!tags) byCode.set(code, (tags = Object.freeze({ ...base, error: code })));
    return tags;
  };
}

export const wsStep: StepKind<WsSpec> = {
  key: "ws",
  schema: wsStepSchema,
  normalize: normalizeWs,
  compile(spec, loc, cc) {
    const tags: Tags = Object.freeze({ ...cc.tags, scenario: cc.scenario, group: cc.group, name: spec.name });
    const tagsFor = errorTags(tags);
    const actions = spec.session.map((action) => compileAction(action, cc));
    const checks = cc.compileChecks(spec.checks, cc.group);
    const extract = cc.compileExtractions(spec.extract);
    const headersStatic = spec.headers.every(([, t]) => t.isStatic);
    const renderHeaders = (scope: TemplateScope) => spec.headers.map(([name, t]) => [name, t.render(scope)] as const);
    const fixedHeaders = headersStatic ? renderHeaders(EMPTY_SCOPE) : undefined;
    // Joined at first use: a relative URL without a baseUrl fails the iteration, not the VU's creation.
    let fixedUrl: string | undefined;
    const urlOf = (scope: TemplateScope): string => {
      if (fixedUrl !== undefined) return fixedUrl;
      const url = toWsUrl(cc.joinUrl(spec.url.render(scope)));
      if (spec.url.isStatic) fixedUrl = url;
      return url;
    };
    return {
      kind: "ws",
      loc,
      async run(vu, signal) {
        const url = urlOf(vu.scope);
        const options: WsConnectOptions = {
          url,
          headers: withCookies(fixedHeaders ?? renderHeaders(vu.scope), vu.cookies.cookieHeader(new URL(url.replace(/^ws/i, "http")))),
          protocols: spec.subprotocols,
          tls: spec.tls,
          connectTimeout: spec.connectTimeout,
        };
        const conn = vu.session<WsSession>(WS_PROTOCOL).connect(options, tags, signal);
        let error = await conn.opened;
        const ctx: ActionContext = { conn, vu, signal, url, tags, last: undefined, closed: false };
        let next = 0;
        while (error === undefined && next < actions.length && !ctx.closed) {
          try {
            error = await actions[next++]!.run(ctx);
          } catch (bug) {
            conn.terminate();
            throw bug;
          }
        }
        if (error === undefined && !ctx.closed) await conn.close(spec.close.code, spec.close.reason);
        else conn.terminate();
        const durationMs = performance.now() - conn.startedAt;
        const failedTags = tagsFor(error?.code);
        vu.metrics.add("ws_sessions", 1, failedTags);
        vu.metrics.add("ws_session_failed", error === undefined ? 0 : 1, failedTags);
        if (conn.status === 101) vu.metrics.add("ws_session_duration", durationMs, failedTags);
        if (signal.aborted) return;
        if (error !== undefined) for (let i = next; i < actions.length; i++) actions[i]!.fail?.(ctx, error);
        if (checks.length === 0 && extract.length === 0) return;
        const view = sessionView(url, { status: conn.status, connectMs: conn.connectMs, durationMs, last: ctx.last, error });
        if (checks.length > 0) runChecks(checks, view, vu.scope, vu.metrics);
        if (extract.length > 0) runExtractors(extract, view, vu.scope.vars, vu.cookies, (miss) => vu.warn(missMessage(miss)));
      },
    };
  },
};
