import { defineCommand } from "citty";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { realIO } from "../io.ts";
import { configureLogging, jsonLogWriter, parseLogFormat } from "../log.ts";
import { parseDataSize } from "../run/data-size.ts";
import { envFromArgs } from "../run/env-args.ts";
import { outFlags } from "../run/out-flags.ts";
import { overridesFromFlags } from "../run/k6-overrides.ts";
import { parseHttpDebug } from "../run/http-debug-flag.ts";
import { ConfigError } from "../../shared/errors.ts";
import { parseSegment, WHOLE } from "../../core/segment.ts";

/** The environment-variable form of a flag (the flag wins); `--help` shows it in the description. */
const ENV = {
  "api-token": "LOADR_API_TOKEN",
  workers: "LOADR_WORKERS",
  "log-format": "LOADR_LOG_FORMAT",
  "http-debug": "LOADR_HTTP_DEBUG",
  "summary-trend-stats": "LOADR_SUMMARY_TREND_STATS",
} as const;

const also = (flag: keyof typeof ENV) => ` (also ${ENV[flag]})`;

export default defineCommand({
  meta: { name: "run", description: "Run a test plan and print its summary" },
  args: {
    plan: { type: "positional", description: "The plan (YAML)", required: true },
    vus: { type: "string", alias: "u", description: "VUs, as k6's --vus: with --duration a constant-vus load, with --iterations a shared-iterations one, with --stage the starting VUs" },
    duration: { type: "string", alias: "d", description: "Run time, e.g. 30s, as k6's --duration (constant-vus; with --iterations their maxDuration)" },
    iterations: { type: "string", alias: "i", description: "Iterations shared by the VUs, as k6's --iterations (shared-iterations)" },
    stage: { type: "string", alias: "s", description: "A ramping-vus stage DURATION:TARGET, e.g. 30s:20; repeatable, as k6's --stage" },
    scenario: { type: "string", description: "The scenario the load flags apply to, and the only one that runs (needed when the plan has several)" },
    tag: { type: "string", description: "NAME=VALUE added to every metric of every scenario; repeatable, as k6's --tag" },
    "summary-json": { type: "string", description: "Write the summary as JSON (k6's summary export shape) to this file" },
    "summary-trend-stats": { type: "string", description: `Trend columns of the summary and its JSON, e.g. "avg,min,med,max,p(90),p(95),p(99.9)"${also("summary-trend-stats")}` },
    "no-summary": { type: "boolean", description: "No end-of-test summary on stdout (--summary-json is still written)" },
    "no-thresholds": { type: "boolean", description: "Do not evaluate the plan's thresholds (none fails, none aborts)" },
    out: { type: "string", alias: "o", description: "Send metrics to an output: jsonl=FILE, csv=FILE, influxdb=URL, statsd=HOST:PORT, … (docs/outputs.md); repeatable" },
    "max-data-size": { type: "string", description: "Largest data file (CSV, body, CA, proto) a plan may read, e.g. 512MiB (default 256MiB)" },
    workers: { type: "string", description: `Worker threads that drive the VUs (default: one per core)${also("workers")}` },
    env: { type: "string", alias: "e", description: "NAME=VALUE for ${env.NAME}; repeatable" },
    "execution-segment": { type: "string", description: "Run only this share of the plan, e.g. 0:1/2 (as k6)" },
    api: { type: "string", description: "Serve a control API (status, pause, resume, stop, scale) on HOST:PORT, e.g. 127.0.0.1:6565" },
    controller: { type: "string", description: "Run through a controller's HTTP API, e.g. http://ctrl:7626 (distributed mode)" },
    "api-token": { type: "string", description: `Bearer token of the controller's HTTP API${also("api-token")}` },
    "local-agents": { type: "string", description: "Start a controller and N agents on loopback and run the plan through them" },
    "http-debug": { type: "boolean", description: `Print each HTTP request and response head on stderr; --http-debug=full adds bodies; credentials show as [redacted] unless --http-debug=unsafe${also("http-debug")}` },
    "log-format": { type: "string", description: `Log lines on stderr as text (default) or json${also("log-format")}` },
    quiet: { type: "boolean", alias: "q", description: "No progress output; warnings and errors only" },
    verbose: { type: "boolean", alias: "v", description: "Debug logging" },
    "no-color": { type: "boolean", description: "No ANSI colors (NO_COLOR is respected too)" },
  },
  async run({ args, rawArgs }) {
    const io = realIO();
    const fromEnv = (flag: keyof typeof ENV, value: string | undefined) => value ?? (io.env[ENV[flag]] || undefined);
    const logFormat = parseLogFormat(fromEnv("log-format", args["log-format"]));
    configureLogging({ quiet: Boolean(args.quiet), verbose: Boolean(args.verbose), format: logFormat });
    const env = envFromArgs(rawArgs, io.env);
    const workers = parseWorkers(args.workers ?? (io.env[ENV.workers] || undefined), args.workers !== undefined ? "--workers" : ENV.workers);
    const segment = args["execution-segment"] ? parseSegmentFlag(args["execution-segment"]) : WHOLE;
    const planPath = resolve(io.cwd, args.plan);
    const summaryJson = args["summary-json"];
    const quiet = Boolean(args.quiet);
    // citty reads `--no-NAME` as NAME=false.
    const color = !negated(args, "color") && !io.env.NO_COLOR && io.stdout.isTTY;
    const noSummary = negated(args, "summary");
    const overrides = overridesFromFlags(
      {
        vus: args.vus,
        duration: args.duration,
        iterations: args.iterations,
        scenario: args.scenario,
        summaryTrendStats: fromEnv("summary-trend-stats", args["summary-trend-stats"]),
        noThresholds: negated(args, "thresholds"),
      },
      rawArgs,
    );
    const httpDebug = parseHttpDebug(rawArgs, io.env[ENV["http-debug"]]);
    const outputs = outFlags(rawArgs);
    if (args.controller || args["local-agents"]) {
      if (outputs.length > 0 && args.controller) throw new ConfigError("--out does not reach a remote controller: it writes no files and contacts no addresses for a submitted run", "the controller's operator sends every run's metrics with `loadr controller --out NAME=ARGUMENT`; or run locally or with --local-agents");
      if (httpDebug) throw new ConfigError("--http-debug works for local runs only (the requests are made on the agents)", "drop --http-debug, or run the plan without --controller/--local-agents");
      if (args.controller && args["local-agents"]) throw new ConfigError("--controller and --local-agents exclude each other");
      const { runRemote } = await import("../run/run-remote.ts");
      const apiToken = fromEnv("api-token", args["api-token"]);
      const remote = { planPath, env, apiToken, summaryJson, quiet, color, noSummary, overrides, logFormat };
      if (args.controller) return runRemote({ ...remote, controllerUrl: args.controller }, io);
      const agents = parseCount(args["local-agents"]!, "--local-agents");
      const { startLocalCluster } = await import("../../cluster/local-cluster.ts");
      const cluster = await startLocalCluster(agents, { outputs, env });
      const say = logFormat === "json" ? jsonLogWriter(io.stderr, "run") : io.stderr;
      if (!quiet) say.write(`loadr: local cluster: a controller and ${agents} agent(s) on loopback (${cluster.controllerUrl})\n`);
      try {
        return await runRemote({ ...remote, controllerUrl: cluster.controllerUrl }, io);
      } finally {
        await cluster.stop();
      }
    }
    const { parseApiAddress } = await import("../run/control-api.ts");
    const api = args.api ? parseApiAddress(args.api) : undefined;
    const { runLocal } = await import("../run/run-local.ts");
    const maxDataBytes = args["max-data-size"] !== undefined ? parseDataSize(args["max-data-size"]) : undefined;
    return runLocal({ planPath, env, workers, segment, summaryJson, outputs, quiet, color, api, noSummary, overrides, httpDebug, logFormat, maxDataBytes }, io);
  },
});

/** A `--no-NAME` boolean: citty reads it as NAME=false (NAME itself is not a flag). */
function negated(args: Record<string, unknown>, name: string): boolean {
  return args[name] === false || args[`no-${name}`] === true;
}

function parseWorkers(text: string | undefined, from: string): number {
  return text === undefined ? Math.max(1, availableParallelism()) : parseCount(text, from);
}

function parseCount(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new ConfigError(`${flag} expects a whole number from 1 to 256, got "${text}"`);
  return n;
}

function parseSegmentFlag(text: string) {
  const parsed = parseSegment(text);
  if ("error" in parsed) throw new ConfigError(`--execution-segment: ${parsed.error}`);
  return parsed;
}
