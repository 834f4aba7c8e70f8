// A distributed run ships the hooks module and its imports with the plan (TestPlan.files); a
// module that exports setup or teardown is refused before anything is sent, since the
// coordination protocol has no once-per-run phase yet (docs/hooks.md "Distributed runs").
import { expect, test } from "bun:test";
import { submitRun } from "../../../src/cluster/client.ts";
import { ConfigError } from "../../../src/shared/errors.ts";
import { writePlan } from "../../helpers/plans.ts";

test("a hooks module with setup is refused before submitting, saying what works on agents", async () => {
  const plan = writePlan(`hooks: ./hooks.ts\niterations: 1\nflow:\n  - js: f\n`, { "hooks.ts": `export function setup() { return {}; }\nexport function f() {}\n` });
  try {
    // Nothing listens on port 1: the refusal comes before any connection.
    const error = await submitRun("http://127.0.0.1:1", { planPath: plan.planPath, env: {} }).then(() => undefined, (e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe("the hooks module ./hooks.ts exports setup, which distributed runs do not run yet");
    expect((error as ConfigError).hint).toContain("js steps, checks, init and before/afterIteration work on agents");
  } finally {
    plan.cleanup();
  }
});
