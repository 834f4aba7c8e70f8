// A JS plugin that throws at run time: the iteration fails, is counted in
// plugin_errors{plugin:NAME} and the note names the plugin and the step's location; the other
// iterations run on. A template function of a plugin is contained the same way.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { writePlan } from "../../helpers/plans.ts";

const PLUGIN = `
import { definePlugin, stringSchema, strict, type StepKind } from "loadr:sdk";

const explode: StepKind<{ on: number }> = {
  key: "explode",
  schema: () => strict({ explode: stringSchema("an iteration number") }, "explode step"),
  normalize: (raw) => ({ on: Number(raw.explode) }),
  compile: (spec, loc) => ({
    kind: "explode",
    loc,
    run(vu) {
      vu.metrics.add("explode_runs", 1, {});
      if (vu.scope.iteration === spec.on) throw new Error("kaboom at iteration " + vu.scope.iteration);
    },
  }),
};

export default definePlugin({
  apiVersion: 1,
  name: "explosive",
  steps: { explode },
  functions: {
    shout: { params: "s", minArgs: 1, maxArgs: 1, pure: false, call: ([s]) => { if (s === 3) throw new Error("cannot shout 3"); return String(s).toUpperCase(); } },
  },
  metrics: [{ name: "explode_runs", type: "counter", contains: "default" }],
});
`;

describe("containment of a JS plugin", () => {
  test("a throw at run time fails that iteration, counted and named", async () => {
    const dir = writePlan(
      `plugins: [./explosive.ts]
scenarios:
  s:
    executor: per-vu-iterations
    vus: 1
    iterations: 5
    flow:
      - explode: "2"
      - set: { loud: "\${shout(iteration)}" }
`,
      { "explosive.ts": PLUGIN },
    );
    try {
      const { io } = memoryIO({}, dir.dir);
      const code = await runLocal({ planPath: dir.planPath, env: {}, workers: 1, segment: WHOLE, summaryJson: dir.path("s.json"), quiet: true, color: false }, io);
      expect(code).toBe(0);
      const summary = JSON.parse(readFileSync(dir.path("s.json"), "utf8"));
      expect(summary.metrics.iterations.count).toBe(5);
      expect(summary.metrics.explode_runs.count).toBe(5);
      expect(summary.metrics.plugin_errors.count).toBe(2);
      const notes = JSON.stringify(summary);
      expect(notes).toContain("plan.yaml:8:9: explode step failed: plugin explosive: kaboom at iteration 2");
      expect(notes).toContain("plugin explosive: cannot shout 3");
    } finally {
      dir.cleanup();
    }
  }, 60_000);
});
