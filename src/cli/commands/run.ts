import { defineCommand } from "citty";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { realIO } from "../io.ts";
import { configureLogging } from "../log.ts";
import { envFromArgs } from "../run/env-args.ts";
import { repeatedFlag } from "../run/repeated-flag.ts";
import { ConfigError } from "../../shared/errors.ts";
import { parseSegment, WHOLE } from "../../core/segment.ts";

export default defineCommand({
  meta: { name: "run", description: "Run a test plan and print its summary" },
  args: {
    plan: { type: "positional", description: "The plan (YAML)", required: true },
    "summary-json": { type: "string", description: "Write the summary as JSON (k6's summary export shape) to this file" },
    out: { type: "string", alias: "o", description: "Send metrics to an output, e.g. jsonl=FILE (one JSON line per series per second); repeatable" },
    workers: { type: "string", description: "Worker threads that drive the VUs (default: one per core)" },
    env: { type: "string", alias: "e", description: "NAME=VALUE for ${env.NAME}; repeatable" },
    "execution-segment": { type: "string", description: "Run only this share of the plan, e.g. 0:1/2 (as k6)" },
    api: { type: "string", description: "Serve a control API (status, pause, resume, stop, scale) on HOST:PORT, e.g. 127.0.0.1:6565" },
    controller: { type: "string", description: "Run through a controller's HTTP API, e.g. http://ctrl:7626 (distributed mode)" },
    "api-token": { type: "string", description: "Bearer token of the controller's HTTP API (also LOADR_API_TOKEN)" },
    "local-agents": { type: "string", description: "Start a controller and N agents on loopback and run the plan through them" },
    quiet: { type: "boolean", alias: "q", description: "No progress output; warnings and errors only" },
    verbose: { type: "boolean", alias: "v", description: "Debug logging" },
    "no-color": { type: "boolean", description: "No ANSI colors (NO_COLOR is respected too)" },
  },
  async run({ args, rawArgs }) {
    const io = realIO();
    configureLogging({ quiet: Boolean(args.quiet), verbose: Boolean(args.verbose) });
    const env = envFromArgs(rawArgs, io.env);
    const workers = parseWorkers(args.workers);
    const segment = args["execution-segment"] ? parseSegmentFlag(args["execution-segment"]) : WHOLE;
    const planPath = resolve(io.cwd, args.plan);
    const summaryJson = args["summary-json"];
    const quiet = Boolean(args.quiet);
    const color = !args["no-color"] && !io.env.NO_COLOR && io.stdout.isTTY;
    const outputs = outFlags(rawArgs);
    if (args.controller || args["local-agents"]) {
      if (outputs.length > 0) throw new ConfigError("--out works for local runs only", "drop --out, or run the plan without --controller/--local-agents");
      if (args.controller && args["local-agents"]) throw new ConfigError("--controller and --local-agents exclude each other");
      const { runRemote } = await import("../run/run-remote.ts");
      const apiToken = args["api-token"] ?? io.env.LOADR_API_TOKEN;
      const remote = { planPath, env, apiToken, summaryJson, quiet, color };
      if (args.controller) return runRemote({ ...remote, controllerUrl: args.controller }, io);
      const agents = parseCount(args["local-agents"]!, "--local-agents");
      const { startLocalCluster } = await import("../../cluster/local-cluster.ts");
      const cluster = await startLocalCluster(agents);
      if (!quiet) io.stderr.write(`loadr: local cluster: a controller and ${agents} agent(s) on loopback (${cluster.controllerUrl})\n`);
      try {
        return await runRemote({ ...remote, controllerUrl: cluster.controllerUrl }, io);
      } finally {
        await cluster.stop();
      }
    }
    const { parseApiAddress } = await import("../run/control-api.ts");
    const api = args.api ? parseApiAddress(args.api) : undefined;
    const { runLocal } = await import("../run/run-local.ts");
    return runLocal({ planPath, env, workers, segment, summaryJson, outputs, quiet, color, api }, io);
  },
});

/** Every `--out`/`-o` value ("" for a flag without one: outputs/from-flags.ts says what is missing). */
function outFlags(rawArgs: readonly string[]): string[] {
  return repeatedFlag(rawArgs, ["--out", "-o"]).map((value) => (value === undefined || value.startsWith("-") ? "" : value));
}

function parseWorkers(text: string | undefined): number {
  return text === undefined ? Math.max(1, availableParallelism()) : parseCount(text, "--workers");
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
