// `loadr control RUN_ID ACTION`: stop, kill, pause, resume or scale a run on a controller,
// or `loadr control list` / `loadr control agents` to look at it.
import { defineCommand } from "citty";
import { ConfigError, LoadrError } from "../../shared/errors.ts";
import { EXIT_OK } from "../../shared/exit-codes.ts";

const ACTIONS = ["stop", "kill", "pause", "resume", "scale", "status"];

export default defineCommand({
  meta: { name: "control", description: "Control a run on a controller: stop | kill | pause | resume | scale | status" },
  args: {
    run: { type: "positional", description: "Run id (or `list`, `agents`)", required: true },
    action: { type: "positional", description: ACTIONS.join(" | "), required: false },
    controller: { type: "string", description: "Controller HTTP API URL", default: "http://127.0.0.1:7626" },
    scenario: { type: "string", description: "Scenario to scale" },
    vus: { type: "string", description: "VUs of the whole scenario for scale (each agent runs its share)" },
    "api-token": { type: "string", description: "Bearer token (or LOADR_API_TOKEN)" },
  },
  async run({ args }) {
    const base = args.controller.replace(/\/+$/, "");
    const token = args["api-token"] || process.env.LOADR_API_TOKEN;
    const headers = { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const call = async (path: string, init: RequestInit = {}) => {
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, { ...init, headers });
      } catch (error) {
        throw new LoadrError(`cannot reach the controller at ${base}: ${(error as Error).message}`);
      }
      const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (!res.ok) throw new LoadrError(`${String(body.error ?? `HTTP ${res.status}`)}`);
      return body;
    };
    const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    if (args.run === "list") return print((await call("/api/runs")).runs), EXIT_OK;
    if (args.run === "agents") return print((await call("/api/agents")).agents), EXIT_OK;
    const action = args.action ?? "status";
    if (!ACTIONS.includes(action)) throw new ConfigError(`unknown action "${action}": use one of ${ACTIONS.join(", ")}`);
    if (action === "status") {
      const { summary: _s, ...run } = await call(`/api/runs/${encodeURIComponent(args.run)}`);
      return print(run), EXIT_OK;
    }
    const body: Record<string, unknown> = { action };
    if (action === "scale") {
      const vus = Number(args.vus);
      if (!args.scenario || !Number.isInteger(vus) || vus < 0) throw new ConfigError("scale needs --scenario NAME and --vus N");
      body.scenario = args.scenario;
      body.vus = vus;
    }
    const answer = await call(`/api/runs/${encodeURIComponent(args.run)}/control`, { method: "POST", body: JSON.stringify(body) });
    const run = answer.run as { status?: string } | undefined;
    process.stdout.write(`run ${args.run}: ${action} sent${run?.status ? ` (now ${run.status})` : ""}\n`);
    return EXIT_OK;
  },
});
