// Test doubles for the flow interpreter, checks and extraction: tiny templates and conditions
// (independent of config/templates.ts), a recording MetricSink, a name→value cookie jar, a fake
// ProtocolHandler that answers from a table and records every ResolvedRequest, the built-in step
// kinds with that handler as the "http" protocol's, and builders of steps, checks and extractions
// as the loader makes them.
import type { CheckSpec, Condition, DataFeed, ExtractSpec, ScenarioSpec, SourceLoc, Step, Template, TemplateScope } from "../../../src/config/plan.ts";
import { SHARED_CHECKS } from "../../../src/core/checks/index.ts";
import { SHARED_EXTRACTIONS } from "../../../src/core/extract/index.ts";
import { CONTROL_STEPS } from "../../../src/core/flow/steps/index.ts";
import type { GroupSpec } from "../../../src/core/flow/steps/group.ts";
import type { IfSpec } from "../../../src/core/flow/steps/if.ts";
import type { LoopSpec } from "../../../src/core/flow/steps/loop.ts";
import type { SetSpec } from "../../../src/core/flow/steps/set.ts";
import type { SleepSpec } from "../../../src/core/flow/steps/sleep.ts";
import type { EngineModules } from "../../../src/core/modules.ts";
import { http1Module } from "../../../src/protocols/http1/module.ts";
import type { RequestSpec } from "../../../src/protocols/http1/step/spec.ts";
import type { MetricSink, Tags } from "../../../src/metrics/types.ts";
import type {
  CookieJar,
  ProtocolHandler,
  ProtocolSession,
  ResolvedRequest,
  ResponseView,
  SessionContext,
} from "../../../src/protocols/types.ts";

export const loc: SourceLoc = { file: "plan.yaml", line: 1, column: 1 };

const REF = /\$\{([^}]+)\}/g;

function lookup(expr: string, scope: TemplateScope): string {
  if (expr === "vu") return String(scope.vu);
  if (expr === "iteration") return String(scope.iteration);
  if (expr === "scenario") return scope.scenario;
  const [head, a, b] = expr.split(".");
  if (head === "vars") return String(scope.vars[a!] ?? "");
  if (head === "data") return scope.data[a!]?.[b!] ?? "";
  throw new Error(`test template: unknown expression ${expr}`);
}

/** A template over ${vars.x}, ${data.f.c}, ${vu}, ${iteration}, ${scenario}. */
export function tpl(source: string): Template {
  const isStatic = !source.includes("${");
  const render = (scope: TemplateScope) => (isStatic ? source : source.replace(REF, (_, e: string) => lookup(e, scope)));
  return { source, isStatic, render, evaluate: render };
}

export function cond(source: string, evaluate: (scope: TemplateScope) => boolean): Condition {
  return { source, evaluate };
}

export interface Sample {
  metric: string;
  value: number;
  tags: Tags;
}

export class RecordingSink implements MetricSink {
  samples: Sample[] = [];
  add(metric: string, value: number, tags: Tags): void {
    this.samples.push({ metric, value, tags });
  }
  of(metric: string, filter: Tags = {}): Sample[] {
    return this.samples.filter((s) => s.metric === metric && Object.entries(filter).every(([k, v]) => s.tags[k] === v));
  }
  sum(metric: string, filter: Tags = {}): number {
    return this.of(metric, filter).reduce((n, s) => n + s.value, 0);
  }
  rate(metric: string, filter: Tags = {}): { passes: number; fails: number } {
    const s = this.of(metric, filter);
    return { passes: s.filter((x) => x.value !== 0).length, fails: s.filter((x) => x.value === 0).length };
  }
}

/** A cookie jar keyed by name only (domains ignored); enough to see per-VU isolation. */
export class TestJar implements CookieJar {
  readonly cookies = new Map<string, string>();
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  store(_url: URL, values: readonly string[]): void {
    for (const v of values) {
      const [pair] = v.split(";");
      const eq = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
  clear(): void {
    this.cookies.clear();
  }
}

export const timings = (duration = 5) => ({
  blocked: 0,
  connecting: 0,
  tlsHandshaking: 0,
  sending: 0,
  waiting: duration,
  receiving: 0,
  duration,
});

export function response(partial: Partial<ResponseView> = {}): ResponseView {
  return { status: 200, headers: {}, body: "", timings: timings(), url: "http://t/", ...partial };
}

export const networkError = (): ResponseView =>
  response({ status: 0, error: { code: "ECONNREFUSED", message: "connection refused" } });

export interface Sent {
  vu: number;
  request: ResolvedRequest;
  tags: Tags;
  /** The Cookie header the session would have sent (from the VU's jar). */
  cookie: string;
}

export type Route = (request: ResolvedRequest) => Partial<ResponseView>;

/**
 * Answers `METHOD pathname` from `routes` (404 otherwise), stores Set-Cookie in the VU's jar as a
 * real handler would, and records what it was sent. `delayMs` makes send wait (abortable).
 */
export class FakeHandler implements ProtocolHandler {
  readonly protocol = "http";
  sent: Sent[] = [];
  opened: number[] = [];
  closed: number[] = [];
  delayMs = 0;
  constructor(public routes: Record<string, Route> = {}) {}

  openSession(context: SessionContext): ProtocolSession {
    this.opened.push(context.vu);
    return {
      send: async (request, tags, signal) => {
        const url = new URL(request.url);
        this.sent.push({ vu: context.vu, request, tags, cookie: context.cookies.cookieHeader(url) });
        if (this.delayMs > 0) {
          const aborted = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), this.delayMs);
            signal?.addEventListener("abort", () => {
              clearTimeout(timer);
              resolve(true);
            });
          });
          if (aborted) return response({ status: 0, error: { code: "aborted", message: "aborted" } });
        }
        const route = this.routes[`${request.method} ${url.pathname}`];
        const res = response({ status: 404, url: request.url, ...(route ? route(request) : {}) });
        const setCookie = res.headers["set-cookie"];
        if (setCookie) context.cookies.store(url, setCookie);
        return res;
      },
      close: () => {
        this.closed.push(context.vu);
      },
    };
  }
}

/** The built-in step, check and extraction kinds, with `handler` opening the "http" protocol's sessions. */
export function modulesWith(handler: ProtocolHandler): Pick<EngineModules, "steps" | "checks" | "extractions" | "protocols"> {
  return { steps: CONTROL_STEPS, checks: SHARED_CHECKS, extractions: SHARED_EXTRACTIONS, protocols: { http: { ...http1Module, handler } } };
}

export type RequestInput = Omit<Partial<RequestSpec>, "url"> & { url: Template | string };

export function requestSpec(partial: RequestInput): RequestSpec {
  const { url, ...rest } = partial;
  return {
    name: typeof url === "string" ? url : url.source,
    tags: {},
    method: "GET",
    headers: [],
    timeout: 1000,
    connectTimeout: 1000,
    maxRedirects: 0,
    tls: { insecure: false },
    httpVersion: "1.1",
    checks: [],
    extract: [],
    ...rest,
    url: typeof url === "string" ? tpl(url) : url,
  };
}

export const req = (partial: RequestInput): Step => ({ kind: "request", loc, spec: requestSpec(partial) });
export const sleep = (min: number, max = min): Step => ({ kind: "sleep", loc, spec: { min, max } satisfies SleepSpec });
export const group = (name: string, steps: Step[]): Step => ({ kind: "group", loc, spec: { name, steps } satisfies GroupSpec });
export const loop = (spec: LoopSpec): Step => ({ kind: "loop", loc, spec });
export const branch = (spec: IfSpec): Step => ({ kind: "if", loc, spec });
export const set = (...vars: SetSpec["vars"]): Step => ({ kind: "set", loc, spec: { vars } satisfies SetSpec });

/** A check as the loader makes it: kind `kind` (a shared one) with that kind's `spec`. */
export const check = (name: string, kind: string, spec: object): CheckSpec => ({ kind, name, loc, spec });
export const statusCheck = (name: string, ...oneOf: number[]): CheckSpec => check(name, "status", { oneOf });
/** An extraction as the loader makes it. */
export const extraction = (variable: string, kind: string, spec: object): ExtractSpec => ({ variable, kind, loc, spec });

export function scenario(flow: Step[], partial: Partial<ScenarioSpec> = {}): ScenarioSpec {
  return {
    name: "default",
    executor: { type: "constant-vus", vus: 1, duration: 1000 } as ScenarioSpec["executor"],
    durationMs: 1000,
    maxVus: 1,
    startTime: 0,
    gracefulStop: 0,
    env: {},
    tags: {},
    flow,
    loc,
    ...partial,
  };
}

export function feed(name: string, mode: DataFeed["mode"], columns: string[], rows: string[][]): DataFeed {
  const record = (index: number) => Object.freeze(Object.fromEntries(columns.map((column, c) => [column, rows[index]![c] ?? ""])));
  return { name, path: `${name}.csv`, mode, columns, rows: { length: rows.length, record }, loc };
}

export const never = (): AbortSignal => new AbortController().signal;
