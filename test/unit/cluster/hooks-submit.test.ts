// A distributed run's setup runs once, in the submitting process, before anything is sent
// (cluster/client.ts); what it returned and recorded travels in the submission's `setup`, which
// the controller checks like any other input (controller/submission.ts). The end-to-end run with
// 3 agents is in test/e2e/hooks-example.test.ts.
import { describe, expect, test } from "bun:test";
import { submitRun } from "../../../src/cluster/client.ts";
import { readSubmission, SubmissionError } from "../../../src/cluster/controller/submission.ts";
import { LoadrError } from "../../../src/shared/errors.ts";
import { writePlan } from "../../helpers/plans.ts";

test("a setup that throws stops the distributed run before anything is submitted: exit 1 with the module's position", async () => {
  const plan = writePlan(`hooks: ./hooks.ts\niterations: 1\nflow:\n  - js: f\n`, { "hooks.ts": `export function setup() {\n  throw new Error("no login");\n}\nexport function f() {}\n` });
  try {
    // Nothing listens on port 1: the failure comes before any connection.
    const error = await submitRun("http://127.0.0.1:1", { planPath: plan.planPath, env: {} }).then(() => undefined, (e) => e);
    expect(error).toBeInstanceOf(LoadrError);
    expect((error as LoadrError).exitCode).toBe(1);
    expect((error as LoadrError).message).toContain("setup failed, no load was started");
    expect((error as LoadrError).message).toContain("no login");
    expect((error as LoadrError).message).toMatch(/hooks\.ts:2:\d+/);
  } finally {
    plan.cleanup();
  }
});

describe("the submission's setup field", () => {
  const submit = (setup: unknown) => () => readSubmission({ plan: "iterations: 1\nflow: []\n", setup });

  test("data and delta are read when well-formed", () => {
    const read = readSubmission({ plan: "x: 1\n", setup: { data: '{"token":"t"}', delta: JSON.stringify({ counters: { "http_reqs{}": 1 } }) } });
    expect(read.setup.data).toBe('{"token":"t"}');
    expect(read.setup.delta?.counters).toEqual({ "http_reqs{}": 1 });
  });

  test("anything else is refused with what is wrong", () => {
    expect(submit("token")).toThrow(/"setup" must be an object/);
    expect(submit({ data: "{", delta: undefined })).toThrow(/"setup.data" is not JSON/);
    expect(submit({ data: "[1,2]" })).toThrow(/"setup.data" must be a JSON object/);
    expect(submit({ data: 5 })).toThrow(/"setup.data" must be JSON text/);
    expect(submit({ delta: '{"evil": {}}' })).toThrow(/"setup.delta" was refused: it has an unknown section "evil"/);
    expect(submit({ extra: "x" })).toThrow(/unknown field "extra" in "setup"/);
    const big = () => readSubmission({ plan: "x: 1\n", setup: { data: JSON.stringify({ blob: "x".repeat(1 << 20) }) } });
    expect(big).toThrow(SubmissionError);
    expect(big).toThrow(/limited to 1/);
  });
});
