// `loadr agent --join HOST:7625`: joins a controller and runs the share of each run it is
// assigned. Reconnects forever; stops when the controller refuses it (exit 1) or on SIGTERM /
// SIGINT, as systemd and Kubernetes expect: the load stops (gracefully for a few seconds, then
// hard), its final delta reaches the controller, the stream closes, exit 0, all within
// EXIT_DEADLINE_MS. A second signal exits at once (105). Every flag may also come from its
// LOADR_* environment variable (cli/env-flags.ts: LOADR_JOIN, LOADR_LABELS, LOADR_TLS_CA …), for
// systemd's EnvironmentFile (deploy/systemd/) and Kubernetes; a flag given on the command line wins.
import { defineCommand } from "citty";
import { ConfigError } from "../../shared/errors.ts";
import { EXIT_EXTERNAL_ABORT, EXIT_FAILURE, EXIT_OK } from "../../shared/exit-codes.ts";
import { withEnvFlags } from "../env-flags.ts";

/** After a signal the process is gone by then, whatever still holds the event loop. */
const EXIT_DEADLINE_MS = 4_500;

/** The flags `loadr agent` also reads from LOADR_* variables (the join token has its own, LOADR_JOIN_TOKEN). */
const AGENT_ENV_FLAGS = ["join", "name", "labels", "agent-id", "workers", "tls-ca", "tls-cert", "tls-key", "join-token-file"] as const;

export default defineCommand({
  meta: { name: "agent", description: "Join a controller and generate load for its runs (distributed mode)" },
  args: {
    join: { type: "string", description: "Controller gRPC address (host:port; or LOADR_JOIN)" },
    name: { type: "string", description: "Name shown in the fleet (default: host name + id)" },
    labels: { type: "string", description: "Labels for run selectors: k=v,k2=v2" },
    "agent-id": { type: "string", description: "Stable identity (default: random per process)" },
    workers: { type: "string", description: "Worker threads (default: one per core)" },
    "tls-ca": { type: "string", description: "CA to verify the controller's certificate (PEM)" },
    "tls-cert": { type: "string", description: "Client certificate for mTLS (PEM)" },
    "tls-key": { type: "string", description: "Client private key for mTLS (PEM)" },
    "join-token": { type: "string", description: "The controller's join token (or LOADR_JOIN_TOKEN)" },
    "join-token-file": { type: "string", description: "File holding the join token (instead of --join-token)" },
  },
  async run({ args: flags }) {
    const args = withEnvFlags(flags, AGENT_ENV_FLAGS, process.env);
    if (!args.join) throw new ConfigError("loadr agent needs the controller's address: --join HOST:PORT (or LOADR_JOIN)", "for example: loadr agent --join ctrl.internal:7625");
    const join = args.join;
    const { startAgent } = await import("../../cluster/agent/agent.ts");
    const { parseLabels } = await import("../../cluster/dispatch.ts");
    const { startLocalRun } = await import("../../core/run/local-run.ts");
    const { untilSignal } = await import("../../cluster/cli-signals.ts");
    const { resolveJoinToken } = await import("../../cluster/join-token.ts");
    const joinToken = resolveJoinToken({ token: args["join-token"], file: args["join-token-file"], env: process.env.LOADR_JOIN_TOKEN });
    const labels = parseLabels(args.labels ?? "");
    if ("error" in labels) throw new ConfigError(`--labels: ${labels.error}`);
    const workers = args.workers === undefined ? undefined : Number(args.workers);
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new ConfigError("--workers must be a whole number ≥ 1");
    const agent = startAgent({
      join,
      ...(args.name ? { name: args.name } : {}),
      ...(args["agent-id"] ? { agentId: args["agent-id"] } : {}),
      ...(workers ? { workers } : {}),
      labels: labels as Record<string, string>,
      tls: { ca: args["tls-ca"], cert: args["tls-cert"], key: args["tls-key"] },
      ...(joinToken ? { joinToken } : {}),
      startLocalRun,
    });
    let rejectedTimer: ReturnType<typeof setInterval> | undefined;
    const rejected = new Promise<string>((resolve) => {
      rejectedTimer = setInterval(() => {
        if (agent.connection() === "rejected") resolve("rejected");
      }, 200);
    });
    const why = await Promise.race([untilSignal(), rejected]);
    clearInterval(rejectedTimer);
    const code = why === "rejected" ? EXIT_FAILURE : EXIT_OK;
    if (why !== "rejected") {
      process.stderr.write(`agent: ${why}: stopping its load and leaving the controller (${why} again to exit at once)\n`);
      void untilSignal().then(() => process.exit(EXIT_EXTERNAL_ABORT));
      // A safety net only: it does not keep the process alive, and fires only if something still does.
      setTimeout(() => process.exit(code), EXIT_DEADLINE_MS).unref();
    }
    await agent.stop(`${why}: the agent is shutting down`);
    return code;
  },
});
