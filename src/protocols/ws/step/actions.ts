// The `session:` actions of a `ws` step, compiled once per (VU factory, scenario) and run in order
// by ws-step.ts on one open connection. An action resolves with undefined when it is done and with
// the session's failure otherwise (the runner then stops: one failed session). Rules:
// - `expect` is a check: the next message that passes it is taken (messages before it are taken
//   too, and counted on arrival); none within its timeout fails the check and the session goes
//   on. A connection failure while it waits fails the check and the session.
// - `receive` takes `count` messages; fewer within its timeout fails the session (`timeout`).
// - `ping` waits for a pong and records its round trip as `ws_ping`; none in time fails the session.
// - `sleep` waits; a connection failure meanwhile ends it and fails the session.
// - `close` closes the socket; the session ends there.
// Extractions of `expect`/`receive` read the message taken (the last one for `receive`).
import type { TemplateScope } from "../../../config/plan.ts";
import { runChecks, evaluateCheck } from "../../../core/checks/run.ts";
import { missMessage, runExtractors } from "../../../core/extract/extractors.ts";
import type { VuRuntime } from "../../../core/flow/interpreter.ts";
import type { CompiledCheck, CompiledExtraction, StepCompileContext } from "../../../core/modules.ts";
import type { Tags } from "../../../metrics/types.ts";
import type { ResponseView } from "../../types.ts";
import type { WsConnection, WsMessage } from "../connection.ts";
import { WS_TIMEOUT, wsError, type WsError } from "../errors.ts";
import { failedView, messageView } from "../message-view.ts";
import { isBase64, type WsActionSpec } from "./spec.ts";

/** The state one session's actions share. */
export interface ActionContext {
  readonly conn: WsConnection;
  readonly vu: VuRuntime;
  readonly signal: AbortSignal;
  readonly url: string;
  /** Tags of the step's samples (`ws_ping`). */
  readonly tags: Tags;
  /** The last message an action took. */
  last: WsMessage | undefined;
  /** Set by `close`: no further action runs. */
  closed: boolean;
}

interface CompiledAction {
  run(ctx: ActionContext): Promise<WsError | undefined> | WsError | undefined;
  /** Records the action's checks as failed: the session failed before the action could run. */
  fail?(ctx: ActionContext, error: WsError): void;
}

function record(ctx: ActionContext, checks: readonly CompiledCheck[], extract: readonly CompiledExtraction[], view: ResponseView): void {
  if (ctx.signal.aborted) return;
  if (checks.length > 0) runChecks(checks, view, ctx.vu.scope, ctx.vu.metrics);
  if (extract.length > 0) runExtractors(extract, view, ctx.vu.scope.vars, ctx.vu.cookies, (miss) => ctx.vu.warn(missMessage(miss)));
}

const DONE = wsError("done", "the wait ended");

export function compileAction(spec: WsActionSpec, cc: StepCompileContext): CompiledAction {
  switch (spec.kind) {
    case "send": {
      const text = spec.text;
      return { run: (ctx) => ctx.conn.send(text.render(ctx.vu.scope)) };
    }
    case "sendBinary": {
      const binary = spec.binary;
      return {
        run(ctx) {
          const base64 = binary.render(ctx.vu.scope);
          if (!isBase64(base64)) throw new Error(`send: { binary } rendered "${base64.slice(0, 40)}", which is not base64`);
          return ctx.conn.send(new Uint8Array(Buffer.from(base64, "base64")));
        },
      };
    }
    case "expect": {
      const checks = cc.compileChecks([spec.check], cc.group);
      const check = checks[0]!;
      const extract = cc.compileExtractions(spec.extract);
      const timeout = spec.timeout;
      return {
        async run(ctx) {
          const startedAt = performance.now();
          const timedOut = wsError(WS_TIMEOUT, `no message passed "${check.name}" within ${timeout} ms`);
          const scope: TemplateScope = ctx.vu.scope;
          const result = await ctx.conn.waitFor(
            () => {
              for (let message = ctx.conn.take(); message; message = ctx.conn.take()) {
                ctx.last = message;
                const view = messageView(ctx.url, message, startedAt);
                if (evaluateCheck(check, view, scope)) return view;
              }
              return undefined;
            },
            timeout,
            ctx.signal,
            () => timedOut,
          );
          record(ctx, checks, extract, result.ok ? result.value : failedView(ctx.url, result.error, ctx.conn.status));
          return result.ok || result.error === timedOut ? undefined : result.error;
        },
        fail: (ctx, error) => record(ctx, checks, extract, failedView(ctx.url, error, ctx.conn.status)),
      };
    }
    case "receive": {
      const { count, timeout } = spec;
      const extract = cc.compileExtractions(spec.extract);
      return {
        async run(ctx) {
          let got = 0;
          const result = await ctx.conn.waitFor(
            () => {
              while (got < count) {
                const message = ctx.conn.take();
                if (!message) return undefined;
                ctx.last = message;
                got++;
              }
              return ctx.last;
            },
            timeout,
            ctx.signal,
            () => wsError(WS_TIMEOUT, `received ${got} of ${count} message${count === 1 ? "" : "s"} from ${ctx.url} within ${timeout} ms`),
          );
          record(ctx, [], extract, result.ok ? messageView(ctx.url, result.value!, result.value!.at) : failedView(ctx.url, result.error, ctx.conn.status));
          return result.ok ? undefined : result.error;
        },
        fail: (ctx, error) => record(ctx, [], extract, failedView(ctx.url, error, ctx.conn.status)),
      };
    }
    case "ping": {
      const timeout = spec.timeout;
      return {
        async run(ctx) {
          const before = ctx.conn.pongs;
          const startedAt = performance.now();
          const failure = ctx.conn.ping();
          if (failure) return failure;
          const result = await ctx.conn.waitFor(
            () => (ctx.conn.pongs > before ? true : undefined),
            timeout,
            ctx.signal,
            () => wsError(WS_TIMEOUT, `no pong from ${ctx.url} within ${timeout} ms of a ping`),
          );
          if (!result.ok) return result.error;
          ctx.vu.metrics.add("ws_ping", performance.now() - startedAt, ctx.tags);
          return undefined;
        },
      };
    }
    case "sleep": {
      const ms = spec.ms;
      return {
        async run(ctx) {
          const result = await ctx.conn.waitFor(() => undefined, ms, ctx.signal, () => DONE);
          return !result.ok && result.error !== DONE ? result.error : undefined;
        },
      };
    }
    case "close": {
      const { code, reason } = spec.close;
      return {
        async run(ctx) {
          ctx.closed = true;
          await ctx.conn.close(code, reason);
          return undefined;
        },
      };
    }
  }
}
