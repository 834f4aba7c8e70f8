// `loadr control RUN_ID ACTION`: stop, kill, pause, resume or scale a run on a controller,
// or `loadr control list` / `loadr control agents` to look at it.
import { defineCommand } from "citty";
import { ConfigError } from "../../shared/errors.ts";
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
    const { ControllerClient } = await import("../../cluster/client.ts");
    const client = new ControllerClient(args.controller, args["api-token"] || process.env.LOADR_API_TOKEN);
    const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    if (args.run === "list") return print(await client.listRuns()), EXIT_OK;
    if (args.run === "agents") return print(await client.listAgents()), EXIT_OK;
    const action = args.action ?? "status";
    if (!ACTIONS.includes(action)) throw new ConfigError(`unknown action "${action}": use one of ${ACTIONS.join(", ")}`);
    if (action === "status") {
      const { summary: _s, ...run } = await client.getRun(args.run);
      return print(run), EXIT_OK;
    }
    const request: { action: string; scenario?: string; vus?: number } = { action };
    if (action === "scale") {
      const vus = Number(args.vus);
      if (!args.scenario || args.vus === undefined || !Number.isInteger(vus) || vus < 0) {
        throw new ConfigError("scale needs --scenario NAME and --vus N (a whole number ≥ 0)", "e.g. loadr control RUN_ID scale --scenario browse --vus 200");
      }
      request.scenario = args.scenario;
      request.vus = vus;
    }
    const run = await client.control(args.run, request);
    process.stdout.write(`run ${args.run}: ${action} sent (now ${run.status})\n`);
    return EXIT_OK;
  },
});
