// `loadr run plan.yaml --local-agents N`: a controller and N agents on loopback inside this
// process, so distributed mode can be tried with one command (LoadStrike's local dev cluster).
// The plan then goes through the same path as a remote run: HTTP submission, gRPC assignment,
// partitions, merged deltas. The run history lives in a temp dir removed by `stop()`.
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalRun } from "../core/run/local-run.ts";
import { BUILTINS } from "../builtins.ts";
import { loadModules } from "../plugin-api/load-modules.ts";
import { startAgent, type Agent } from "./agent/agent.ts";
import { startController } from "./controller/controller.ts";
import { loadPlanInfo } from "./controller/load-plan.ts";
import type { PlanLoader } from "./controller/run-plan.ts";
import { requestsFromFlags } from "../outputs/from-flags.ts";

/** How long the agents may take to register before the cluster is reported broken. */
const REGISTER_TIMEOUT_MS = 10_000;

export interface LocalCluster {
  controllerUrl: string;
  agents: number;
  stop(): Promise<void>;
}

export interface LocalClusterOptions {
  /** Worker threads per agent (default: the cores shared evenly, at least one). */
  workersPerAgent?: number;
  log?: (line: string) => void;
  /** Extra modules for the plans (LocalRunOptions.moduleSpecifiers): the controller validates with them, agents run with them. */
  moduleSpecifiers?: string[];
  /**
   * `loadr run --out` values: the controller writes them, and the plan's own `outputs:` list,
   * from the merged metrics (its submitter is this process's user: controller/run-outputs.ts).
   */
  outputs?: readonly string[];
  /** The environment outputs read (a token); default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export async function startLocalCluster(agents: number, options: LocalClusterOptions = {}): Promise<LocalCluster> {
  if (!Number.isInteger(agents) || agents < 1) throw new Error(`--local-agents must be a whole number ≥ 1, got ${agents}`);
  const log = options.log ?? (() => {});
  const moduleSpecifiers = options.moduleSpecifiers ?? [];
  const modules = await loadModules(BUILTINS, moduleSpecifiers);
  const loadPlan: PlanLoader = (source, files) => loadPlanInfo(source, files, modules);
  const run: typeof startLocalRun = (o) => startLocalRun({ ...o, moduleSpecifiers });
  const outputs = { requests: requestsFromFlags(options.outputs ?? [], modules.outputs), planOutputs: true, cwd: process.cwd(), env: options.env ?? process.env, registry: modules.outputs };
  const dataDir = mkdtempSync(join(tmpdir(), "loadr-local-cluster-"));
  const controller = await startController({ bind: "127.0.0.1:0", http: "127.0.0.1:0", dataDir, loadPlan, outputs, log: (l) => log(`controller: ${l}`) });
  const workers = options.workersPerAgent ?? Math.max(1, Math.floor(availableParallelism() / agents));
  const fleet: Agent[] = [];
  for (let i = 0; i < agents; i++) {
    fleet.push(startAgent({ join: controller.grpcTarget, name: `local-${i + 1}`, labels: { local: "true" }, workers, startLocalRun: run, log: (l) => log(`agent local-${i + 1}: ${l}`) }));
  }
  const stop = async () => {
    await Promise.all(fleet.map((a) => a.stop()));
    await controller.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + REGISTER_TIMEOUT_MS;
  while (controller.registry.all().filter((a) => a.status.state === "idle").length < agents) {
    if (Date.now() > deadline) {
      const problem = fleet.map((a) => a.lastError()).find(Boolean);
      await stop();
      throw new Error(`the local cluster's agents did not register within ${REGISTER_TIMEOUT_MS / 1000}s${problem ? `: ${problem}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { controllerUrl: controller.httpUrl!, agents, stop };
}
