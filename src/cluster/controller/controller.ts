// `loadr controller`: the gRPC endpoint agents join, the run manager, the SQLite store and the
// HTTP API, wired together with the timers that drive them. `stop()` ends everything it started.
import { randomUUID } from "node:crypto";
import { TICK_MS } from "../../core/run/run-loop.ts";
import { LoadrError } from "../../shared/errors.ts";
import { checkApiExposure, isLoopbackHost, splitHostPort, startHttpApi } from "../http-api.ts";
import { checkGrpcExposure } from "../join-token.ts";
import { controllerMessage } from "../protocol.ts";
import { startGrpcServer, type GrpcServer } from "../rpc.ts";
import { HEARTBEAT_INTERVAL_MS } from "../states.ts";
import { ControllerStore } from "../store.ts";
import { serverCredentials, serverTlsMode, type ServerTlsFlags } from "../tls.ts";
import { handleAgentStream } from "./agent-link.ts";
import { AgentRegistry, LIVENESS_TICK_MS } from "./registry.ts";
import type { PlanLoader } from "./run-plan.ts";
import { hostOf, RejectionLog } from "./rejections.ts";
import { RunManager } from "./runs.ts";
import type { ControllerOutputs } from "./run-outputs.ts";

const DEFAULT_GRPC_PORT = 7625;
const DEFAULT_HTTP_PORT = 7626;
/** Agents lost longer than this drop out of the fleet view. */
const FORGET_LOST_AGENTS_MS = 10 * 60_000;

export interface ControllerOptions {
  /** gRPC "host:port" for agents. */
  bind: string;
  /** HTTP API "host:port"; none when undefined. */
  http?: string;
  dataDir: string;
  tls?: ServerTlsFlags;
  apiToken?: string;
  /** Agents must present it (join-token.ts); required beyond loopback without mTLS. */
  joinToken?: string;
  loadPlan: PlanLoader;
  log?: (line: string) => void;
  /** Silence after which an agent is unhealthy (default 6 s; tests shorten it). */
  livenessMs?: number;
  /** Interval of the controller's own heartbeats to agents (default 2 s). */
  heartbeatMs?: number;
  /** Outputs fed from every run's merged metrics (controller/run-outputs.ts). */
  outputs?: ControllerOutputs;
}

export interface Controller {
  id: string;
  grpcPort: number;
  /** "127.0.0.1:PORT" agents join. */
  grpcTarget: string;
  httpUrl?: string;
  registry: AgentRegistry;
  runs: RunManager;
  stop(): Promise<void>;
}

export async function startController(options: ControllerOptions): Promise<Controller> {
  const log = options.log ?? ((line: string) => process.stderr.write(`controller: ${line}\n`));
  const grpcBind = splitHostPort(options.bind, DEFAULT_GRPC_PORT);
  const httpBind = options.http ? splitHostPort(options.http, DEFAULT_HTTP_PORT) : undefined;
  if (httpBind) checkApiExposure(httpBind.host, options.apiToken);
  const tls = options.tls ?? {};
  const mode = serverTlsMode(tls);
  checkGrpcExposure(grpcBind.host, mode, options.joinToken);
  const credentials = serverCredentials(tls);
  if (mode === "plaintext" && !isLoopbackHost(grpcBind.host)) {
    log(`warning: agents connect in plaintext on ${options.bind}, their join token included; fine on a private network, not on the internet (use --tls-cert/--tls-key, and --tls-client-ca for mTLS)`);
  }
  const rejections = new RejectionLog(log);

  const store = new ControllerStore(options.dataDir);
  const interrupted = store.interruptUnfinished(Date.now());
  if (interrupted.length > 0) log(`${interrupted.length} run(s) in flight when the controller last stopped are marked interrupted: ${interrupted.join(", ")}`);
  const id = store.controllerId(() => `ctrl-${randomUUID().slice(0, 8)}`);
  const registry = new AgentRegistry(Date.now, options.livenessMs);
  const runs = new RunManager({ registry, store, loadPlan: options.loadPlan, log, rejections, ...(options.outputs ? { outputs: options.outputs } : {}) });

  let grpc: GrpcServer;
  try {
    grpc = await startGrpcServer(
      `${grpcBind.host.includes(":") ? `[${grpcBind.host}]` : grpcBind.host}:${grpcBind.port}`,
      credentials,
      (stream) =>
        handleAgentStream(stream, {
          controllerId: id,
          registry,
          ...(options.joinToken ? { joinToken: options.joinToken } : {}),
          log,
          rejections,
          onRegistered: (entry, reg) => runs.onRegistered(entry, reg.active_runs),
          onReady: () => runs.dispatchWaiting(),
          onMessage: (entry, message) => runs.onMessage(entry, message),
        }),
      { onTlsRefusal: (peer, reason) => rejections.note(`TLS connections from ${hostOf(peer)}`, `${peer} refused: ${reason}`) },
    );
  } catch (error) {
    store.close();
    throw new LoadrError((error as Error).message);
  }

  let api: ReturnType<typeof startHttpApi> | undefined;
  if (httpBind) {
    try {
      api = startHttpApi({ hostname: httpBind.host, port: httpBind.port, apiToken: options.apiToken, registry, runs, store, controllerId: id, log });
    } catch (error) {
      await grpc.close(0);
      store.close();
      throw error instanceof LoadrError ? error : new LoadrError(`cannot serve the HTTP API on ${options.http}: ${(error as Error).message}`);
    }
  }

  const livenessTimer = setInterval(() => {
    registry.tick();
    runs.dispatchWaiting();
  }, LIVENESS_TICK_MS);
  // Each run's loop ticks (thresholds, series, progress) at the local run's cadence.
  const runTimer = setInterval(() => runs.tick(), TICK_MS);
  const heartbeatTimer = setInterval(() => {
    const message = controllerMessage("heartbeat", { unix_ms: Date.now() });
    for (const entry of registry.all()) if (entry.stream) registry.send(entry, message);
    registry.prune(FORGET_LOST_AGENTS_MS);
  }, options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS);

  log(`listening for agents on ${grpcBind.host}:${grpc.port} (${mode}${options.joinToken ? ", join token required" : ""})${api ? `, HTTP API on ${api.url}${options.apiToken ? " (bearer token required)" : ""}` : ""}`);
  let stopped = false;
  return {
    id,
    grpcPort: grpc.port,
    grpcTarget: `${grpcBind.host === "0.0.0.0" ? "127.0.0.1" : grpcBind.host}:${grpc.port}`,
    ...(api ? { httpUrl: api.url } : {}),
    registry,
    runs,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(livenessTimer);
      clearInterval(runTimer);
      clearInterval(heartbeatTimer);
      runs.stopAll();
      await api?.stop();
      for (const entry of registry.all()) {
        try {
          entry.stream?.end();
        } catch {}
      }
      await grpc.close(1_000);
      store.close();
    },
  };
}
