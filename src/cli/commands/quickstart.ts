// `npm start`: the demo target on a free loopback port, and examples/quickstart.yaml against it.
import { defineCommand } from "citty";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { realIO } from "../io.ts";
import { WHOLE } from "../../core/segment.ts";

export default defineCommand({
  meta: { name: "quickstart", description: "Run examples/quickstart.yaml against a built-in demo target" },
  args: {
    plan: { type: "positional", description: "Plan to run", required: false },
  },
  async run({ args }) {
    const io = realIO();
    const { startDemoServer } = await import("../../demo/server.ts");
    const { runLocal } = await import("../run/run-local.ts");
    const demo = await startDemoServer({ port: 0, hostname: "127.0.0.1" });
    io.stderr.write(`loadr: demo target listening on ${demo.url}\n`);
    try {
      return await runLocal(
        {
          planPath: args.plan ?? join(import.meta.dir, "..", "..", "..", "examples", "quickstart.yaml"),
          env: { ...io.env, BASE_URL: demo.url },
          workers: Math.max(1, availableParallelism()),
          segment: WHOLE,
          quiet: false,
          color: !io.env.NO_COLOR && io.stdout.isTTY,
        },
        io,
      );
    } finally {
      await demo.stop();
    }
  },
});
