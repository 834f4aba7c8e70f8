import { defineCommand } from "citty";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { realIO } from "../io.ts";
import { configureLogging } from "../log.ts";
import { envFromArgs } from "../run/env-args.ts";
import { ConfigError } from "../errors.ts";
import { parseSegment, WHOLE } from "../../core/segment.ts";

export default defineCommand({
  meta: { name: "run", description: "Run a test plan and print its summary" },
  args: {
    plan: { type: "positional", description: "The plan (YAML)", required: true },
    "summary-json": { type: "string", description: "Write the summary as JSON (k6's summary export shape) to this file" },
    workers: { type: "string", description: "Worker threads that drive the VUs (default: one per core)" },
    env: { type: "string", alias: "e", description: "NAME=VALUE for ${env.NAME}; repeatable" },
    "execution-segment": { type: "string", description: "Run only this share of the plan, e.g. 0:1/2 (as k6)" },
    api: { type: "string", description: "Serve a control API (status, pause, resume, stop, scale) on HOST:PORT, e.g. 127.0.0.1:6565" },
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
    const { parseApiAddress } = await import("../run/control-api.ts");
    const api = args.api ? parseApiAddress(args.api) : undefined;
    const { runLocal } = await import("../run/run-local.ts");
    return runLocal(
      {
        planPath: resolve(io.cwd, args.plan),
        env,
        workers,
        segment,
        summaryJson: args["summary-json"],
        quiet: Boolean(args.quiet),
        api,
        color: !args["no-color"] && !io.env.NO_COLOR && io.stdout.isTTY,
      },
      io,
    );
  },
});

function parseWorkers(text: string | undefined): number {
  if (text === undefined) return Math.max(1, availableParallelism());
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new ConfigError(`--workers expects a whole number from 1 to 256, got "${text}"`);
  }
  return n;
}

function parseSegmentFlag(text: string) {
  const parsed = parseSegment(text);
  if ("error" in parsed) throw new ConfigError(`--execution-segment: ${parsed.error}`);
  return parsed;
}
