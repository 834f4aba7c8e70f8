// mergeModules: extra modules join the built-ins; a name taken twice is an error naming both
// owners. stepsOf/metricsOf: the flattened view the loader and the engine share.
import { describe, expect, test } from "bun:test";
import { BUILTINS } from "../../../src/builtins.ts";
import { metricsOf, stepsOf } from "../../../src/config/registered.ts";
import { defineMetric } from "../../../src/metrics/builtin.ts";
import { mergeModules } from "../../../src/plugin-api/merge.ts";
import type { Modules, ProtocolModule, StepKind } from "../../../src/plugin-api/types.ts";
import { http1Module } from "../../../src/protocols/http1/module.ts";
import { modules as fakeModules } from "../../fixtures/modules/fake-protocol.ts";

const fake = fakeModules.protocols!.fake!;
const renamed = (name: string, steps: ProtocolModule["steps"] = {}): ProtocolModule => ({ ...fake, name, steps, metrics: [] });

describe("mergeModules", () => {
  test("adds the extra protocols, steps and metrics; leaves the base as it was", () => {
    // The built-in protocols are whatever src/protocols/registry.ts lists, "http" first.
    const builtInProtocols = Object.keys(BUILTINS.protocols);
    const builtInSteps = Object.keys(stepsOf(BUILTINS));
    expect(builtInProtocols[0]).toBe("http");
    expect(builtInSteps.slice(0, 6)).toEqual(["sleep", "group", "loop", "if", "set", "request"]);
    const merged = mergeModules(BUILTINS, fakeModules);
    const builtinProtocols = Object.keys(BUILTINS.protocols);
    expect(builtinProtocols[0]).toBe("http");
    expect(Object.keys(merged.protocols)).toEqual([...builtinProtocols, "fake"]);
    expect(Object.keys(stepsOf(merged))).toEqual([...Object.keys(stepsOf(BUILTINS)), "fake"]);
    expect(Object.keys(stepsOf(BUILTINS)).slice(0, 6)).toEqual(["sleep", "group", "loop", "if", "set", "request"]);
    expect(merged.executors).toEqual(BUILTINS.executors);
    expect(Object.keys(BUILTINS.protocols)).toEqual(builtinProtocols);
    expect(metricsOf(merged).map((m) => m.name)).toEqual([...metricsOf(BUILTINS).map((m) => m.name), "fake_latency", "fake_ops"]);
    expect(metricsOf(BUILTINS).map((m) => m.name)).toEqual(expect.arrayContaining(http1Module.metrics.map((m) => m.name)));
  });

  test("a protocol name taken twice names both owners", () => {
    expect(() => mergeModules(BUILTINS, { protocols: { http: renamed("http") } })).toThrow(
      'protocol "http" is registered twice: by the base modules and by the extra modules',
    );
    expect(() => mergeModules(BUILTINS, fakeModules, fakeModules)).toThrow(
      'protocol "fake" is registered twice: by extra module set 1 and by extra module set 2',
    );
  });

  test("step keys are one namespace: control steps and every protocol's steps", () => {
    const request = http1Module.steps.request!;
    expect(() => mergeModules(BUILTINS, { protocols: { other: renamed("other", { request }) } })).toThrow(
      'step "request" is registered twice: by protocol "http" and by protocol "other"',
    );
    const sleep: StepKind<unknown> = { ...BUILTINS.steps.sleep! };
    expect(() => mergeModules(BUILTINS, { protocols: { other: renamed("other", { sleep }) } })).toThrow(
      'step "sleep" is registered twice: by the control steps and by protocol "other"',
    );
  });

  test("executors and outputs collide by name too; a metric may be declared twice with one type only", () => {
    const executor = BUILTINS.executors["constant-vus"]!;
    expect(() => mergeModules(BUILTINS, { executors: { "constant-vus": executor } })).toThrow('executor "constant-vus" is registered twice');
    const output = { name: "x", usage: "x=FILE", options: {}, create: () => ({}) as never };
    expect(() => mergeModules(BUILTINS, { outputs: { x: output } }, { outputs: { x: output } })).toThrow('output "x" is registered twice');
    expect(mergeModules(BUILTINS, { metrics: [defineMetric("checks", "rate")] }).metrics).toEqual(BUILTINS.metrics);
    expect(() => mergeModules(BUILTINS, { metrics: [defineMetric("checks", "counter")] })).toThrow(
      'metric "checks" is a rate in the base modules but a counter in the extra modules',
    );
  });
});

describe("stepsOf and metricsOf", () => {
  const base: Modules = { ...BUILTINS, protocols: {} };

  test("a step registered under a key other than its own is a wiring bug", () => {
    expect(() => stepsOf({ ...base, steps: { pause: BUILTINS.steps.sleep! } })).toThrow(
      'the control steps: step "sleep" is registered under the key "pause"; use one name for both',
    );
  });

  test("two registrations of one key in one modules value are refused", () => {
    expect(() => stepsOf({ ...base, protocols: { a: renamed("a", { sleep: BUILTINS.steps.sleep! }) } })).toThrow(
      'step "sleep" is registered twice: by the control steps and by protocol "a"',
    );
  });

  test("a metric with two types across protocols is refused; one type is kept once", () => {
    const twice = { ...fake, metrics: [defineMetric("fake_ops", "counter")] };
    expect(metricsOf({ ...base, protocols: { fake, twice } }).filter((m) => m.name === "fake_ops")).toHaveLength(1);
    const clash = { ...fake, metrics: [defineMetric("fake_ops", "rate")] };
    expect(() => metricsOf({ ...base, protocols: { fake, clash } })).toThrow(
      'metric "fake_ops" is a counter in protocol "fake" but a rate in protocol "clash"',
    );
  });

  test("results are memoized per modules value", () => {
    expect(stepsOf(BUILTINS)).toBe(stepsOf(BUILTINS));
    expect(metricsOf(BUILTINS)).toBe(metricsOf(BUILTINS));
  });
});
