// The VU factory a worker thread's scheduler calls (one per thread). It compiles each scenario's
// flow once (cached per ScenarioSpec object) and hands out FlowVus that share the compiled
// program, the data feed rows, the sequential-feed cursor, body-file bytes and the warn-once log,
// but own their cookie jar, protocol sessions, vars and iteration counter. See flow/flow-vu.ts for the
// per-VU state contract and flow/interpreter.ts for what an iteration does.
import { resolve } from "node:path";
import type { DataFeed, ScenarioSpec } from "../config/plan.ts";
import type { MetricSink } from "../metrics/types.ts";
import type { CookieJar, ProtocolDebug } from "../protocols/types.ts";
import { createUrlJoiner } from "../config/url.ts";
import { checksOf, extractionsOf, stepsOf } from "../config/registered.ts";
import type { EngineModules, ReadPlanFile } from "./modules.ts";
import type { VuFactory } from "./vu.ts";
import type { WorkerScript } from "./script.ts";
import { MemoryCookieJar } from "./cookies.ts";
import { createFeedCursor, type FeedCursor } from "./feeds/cursor.ts";
import { createFeedRows } from "./feeds/rows.ts";
import { FlowVu } from "./flow/flow-vu.ts";
import { compileProgram, type Program } from "./flow/program.ts";
import { createWarnOnce } from "./flow/warn-once.ts";

export interface VuFactoryOptions {
  /** The plan's baseUrl ("" for none); relative request URLs are joined to it. */
  baseUrl: string;
  data: Record<string, DataFeed>;
  /**
   * The step, check and extraction kinds and protocols the plan may use (the runtime half of the
   * registries; the worker thread passes its merged modules). Steps compile through
   * `modules.steps` and every protocol's steps (checks and extractions likewise); VUs open
   * sessions from `modules.protocols[name].handler`.
   */
  modules: Pick<EngineModules, "steps" | "checks" | "extractions" | "protocols">;
  metrics: MetricSink;
  /** A fresh, empty jar per VU; default `new MemoryCookieJar()` (core/cookies.ts). */
  createCookieJar?: () => CookieJar;
  /** Uniform in [0, 1); for random feeds and random sleeps. Default Math.random. */
  random?: () => number;
  /** Position of sequential feeds; default a cursor local to this factory. */
  feedCursor?: FeedCursor;
  /** Directory body-file paths resolve against (the plan's `source.baseDir`); default the cwd. */
  baseDir?: string;
  /** Reads a body file given its plan path; default `Bun.file(resolve(baseDir, path)).bytes()`. */
  readFile?: ReadPlanFile;
  /** Where warnings go, already deduplicated by the factory; default console.warn. */
  warn?: (message: string) => void;
  /** Given to every session the VUs open: print their exchanges (`--http-debug`). */
  debug?: ProtocolDebug;
  /** The plan's hooks, loaded for this thread (core/script.ts); absent without `hooks:`. */
  script?: WorkerScript;
}

export function createVuFactory(options: VuFactoryOptions): VuFactory {
  const random = options.random ?? Math.random;
  const warn = createWarnOnce(options.warn ?? ((message) => console.warn(`loadr: ${message}`)));
  const baseDir = options.baseDir ?? process.cwd();
  const readFile: ReadPlanFile =
    options.readFile ?? (async (path) => Bun.file(resolve(baseDir, path)).bytes());
  const createCookieJar = options.createCookieJar ?? (() => new MemoryCookieJar());
  const joinUrl = createUrlJoiner(options.baseUrl);
  const rows = createFeedRows(options.data, {
    cursor: options.feedCursor ?? createFeedCursor(),
    random,
    warn,
  });
  const programs = new WeakMap<ScenarioSpec, Program>();
  const steps = stepsOf(options.modules);
  const checks = checksOf(options.modules);
  const extractions = extractionsOf(options.modules);

  return (scenario, id) => {
    let program = programs.get(scenario);
    if (!program) {
      program = compileProgram(scenario, { steps, checks, extractions, joinUrl, readFile });
      programs.set(scenario, program);
    }
    return new FlowVu(id, {
      program,
      rows: rows.forVu(id),
      protocols: options.modules.protocols,
      metrics: options.metrics,
      cookies: createCookieJar(),
      random,
      warn,
      ...(options.debug ? { debug: options.debug } : {}),
      ...(options.script ? { script: options.script } : {}),
    });
  };
}
