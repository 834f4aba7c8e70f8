// `loadr controller`: coordinates agents over gRPC (loadr.coordination.v1) and serves the HTTP
// API runs are submitted to. Runs until SIGINT/SIGTERM.
import { defineCommand } from "citty";

import { EXIT_OK } from "../../shared/exit-codes.ts";

export default defineCommand({
  meta: { name: "controller", description: "Coordinate a fleet of agents (distributed mode)" },
  args: {
    bind: { type: "string", description: "gRPC address agents join (host:port)", default: "127.0.0.1:7625" },
    http: { type: "string", description: "HTTP API address (host:port); beyond loopback it needs --api-token", default: "127.0.0.1:7626" },
    "data-dir": { type: "string", description: "Directory of the run history (SQLite)", default: "./loadr-data" },
    "tls-cert": { type: "string", description: "Server certificate (PEM) for TLS" },
    "tls-key": { type: "string", description: "Server private key (PEM)" },
    "tls-client-ca": { type: "string", description: "CA that agents' client certificates must chain to (mTLS)" },
    "api-token": { type: "string", description: "Bearer token required by the HTTP API (or LOADR_API_TOKEN)" },
    "join-token": { type: "string", description: "Token agents must present to register (or LOADR_JOIN_TOKEN); required beyond loopback without mTLS" },
    "join-token-file": { type: "string", description: "File holding the join token (instead of --join-token)" },
    out: { type: "string", alias: "o", description: "Send every run's merged metrics to an output (jsonl=FILE, influxdb=URL, …; {run_id} in FILE is the run's id); repeatable (docs/outputs.md)" },
    outputs: { type: "string", description: "A YAML file with an outputs: list (with options, as in a plan) for every run; beside --out (docs/outputs.md)" },
  },
  async run({ args, rawArgs }) {
    const { startController } = await import("../../cluster/controller/controller.ts");
    const { loadPlanInfo } = await import("../../cluster/controller/load-plan.ts");
    const { untilSignal } = await import("../../cluster/cli-signals.ts");
    const { resolveJoinToken } = await import("../../cluster/join-token.ts");
    const apiToken = args["api-token"] || process.env.LOADR_API_TOKEN || undefined;
    const { outFlags } = await import("../run/out-flags.ts");
    const { requestsFromFlags } = await import("../../outputs/from-flags.ts");
    const { OUTPUTS } = await import("../../outputs/registry.ts");
    const outputs = [...(args.outputs ? await outputsFile(args.outputs) : []), ...requestsFromFlags(outFlags(rawArgs), OUTPUTS)];
    const joinToken = resolveJoinToken({ token: args["join-token"], file: args["join-token-file"], env: process.env.LOADR_JOIN_TOKEN });
    const controller = await startController({
      bind: args.bind,
      http: args.http,
      dataDir: args["data-dir"],
      tls: { cert: args["tls-cert"], key: args["tls-key"], clientCa: args["tls-client-ca"] },
      apiToken,
      ...(joinToken ? { joinToken } : {}),
      loadPlan: loadPlanInfo,
      ...(outputs.length > 0 ? { outputs: { requests: outputs, planOutputs: false, cwd: process.cwd(), env: process.env } } : {}),
    });
    process.stdout.write(`loadr controller ${controller.id}: agents join ${args.bind.replace(/:\d+$/, "")}:${controller.grpcPort}; HTTP API ${controller.httpUrl ?? "off"}\n`);
    const signal = await untilSignal();
    process.stderr.write(`controller: ${signal}: stopping runs and closing\n`);
    await controller.stop();
    return EXIT_OK;
  },
});



/** `--outputs FILE`: its outputs, or a ConfigError (exit 104) listing every problem at its line. */
async function outputsFile(path: string) {
  const { readFileSync } = await import("node:fs");
  const { loadOutputsFile } = await import("../../config/outputs-file.ts");
  const { formatIssues } = await import("../../config/issues.ts");
  const { ConfigError } = await import("../../shared/errors.ts");
  const { BUILTINS } = await import("../../builtins.ts");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`--outputs ${path}: the file cannot be read (${(error as Error).message})`);
  }
  const loaded = loadOutputsFile(text, path, BUILTINS, process.env);
  if (!loaded.ok) throw new ConfigError(formatIssues(loaded.issues, `--outputs ${path}: ${loaded.issues.length} problem${loaded.issues.length === 1 ? "" : "s"}`).trimEnd());
  return loaded.outputs;
}
