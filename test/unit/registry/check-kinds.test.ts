// Check and extraction kinds are registry entries: a protocol module adds its own (the fixture's
// `fakeCode` check and `attribute` extraction, test/fixtures/modules/fake-protocol.ts) beside the
// shared ones. Its steps accept them, other protocols' steps reject them with "did you mean" over
// the kinds they accept, they run at run time (checks recorded in `checks`), `loadr schema` lists
// them, and a key taken twice is refused.
import { describe, expect, test } from "bun:test";
import { BUILTINS } from "../../../src/builtins.ts";
import { loadPlan, type LoadResult } from "../../../src/config/load.ts";
import { checksOf, extractionsOf } from "../../../src/config/registered.ts";
import { planJsonSchema } from "../../../src/config/schema/json-schema.ts";
import { SHARED_CHECKS } from "../../../src/core/checks/index.ts";
import { createVuFactory } from "../../../src/core/vu-factory.ts";
import { mergeModules } from "../../../src/plugin-api/merge.ts";
import type { CheckKind, Modules, ProtocolModule, StepKind } from "../../../src/plugin-api/types.ts";
import { modules as fakeModules, type FakeSpec } from "../../fixtures/modules/fake-protocol.ts";
import { never, RecordingSink, TestJar } from "../flow/fakes.ts";

const WITH_FAKE = mergeModules(BUILTINS, fakeModules);
const fake = fakeModules.protocols!.fake!;
const fakeCode = fake.checks!.fakeCode!;

function load(flow: string, modules: Modules = WITH_FAKE): LoadResult {
  const text = `scenarios:\n  s:\n    executor: shared-iterations\n    vus: 1\n    iterations: 1\n    flow:\n${flow}\n`;
  return loadPlan({ text, file: "kinds.yaml", baseDir: "/", env: {} }, { modules });
}

function issues(result: LoadResult): string[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`);
}

function planOf(result: LoadResult) {
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join("\n"));
  return result.plan;
}

const flowOf = (result: LoadResult) => planOf(result).scenarios[0]!.flow;

const SHARED = "status, header, body, json, duration, js";

describe("a protocol's own check kind", () => {
  test("is accepted on that protocol's step, beside the shared kinds, with a default name", () => {
    const [step] = flowOf(load("      - fake: { ms: 1, code: 7, checks: [{ fakeCode: 7 }, { status: 200 }, { fakeCode: 8, name: eight }] }"));
    const spec = step!.spec as FakeSpec;
    expect(spec.checks.map(({ kind, name, spec }) => ({ kind, name, spec }))).toEqual([
      { kind: "fakeCode", name: "fake code is 7", spec: { code: 7 } },
      { kind: "status", name: "status is 200", spec: { oneOf: [200] } },
      { kind: "fakeCode", name: "eight", spec: { code: 8 } },
    ]);
    expect(spec.checks[0]!.loc).toEqual({ file: "kinds.yaml", line: 7, column: 42 });
  });

  test("is rejected on the HTTP request step, with did-you-mean over the kinds that step accepts", () => {
    expect(issues(load("      - request: { url: http://127.0.0.1/, checks: [{ fakeCode: 7 }] }"))).toEqual([
      `kinds.yaml:7:53 scenarios.s.flow.0.request.checks.0: unknown check "fakeCode" (check kinds: ${SHARED})`,
    ]);
    expect(issues(load("      - request: { url: http://127.0.0.1/, checks: [{ stauts: 200 }] }"))[0]).toContain(
      `unknown check "stauts"; did you mean "status"? (check kinds: ${SHARED})`,
    );
  });

  test("a misspelt kind or option on the protocol's own step gets did-you-mean over the shared and own kinds", () => {
    expect(issues(load("      - fake: { ms: 1, checks: [{ fakeCod: 7 }] }"))).toEqual([
      `kinds.yaml:7:33 scenarios.s.flow.0.fake.checks.0: unknown check "fakeCod"; did you mean "fakeCode"? (check kinds: ${SHARED}, fakeCode)`,
    ]);
    expect(issues(load("      - fake: { ms: 1, checks: [{ fakeCode: 7, nmae: x }] }"))).toEqual([
      'kinds.yaml:7:48 scenarios.s.flow.0.fake.checks.0.nmae: unknown key "nmae" in fakeCode check; did you mean "name"?',
    ]);
    expect(issues(load("      - fake: { ms: 1, checks: [{ fakeCode: seven }] }"))).toEqual([
      'kinds.yaml:7:45 scenarios.s.flow.0.fake.checks.0.fakeCode: expected a whole number ≥ 0, got "seven"',
    ]);
  });

  test("is evaluated at run time and recorded in `checks` with check/group/scenario tags", async () => {
    const flow = "      - fake: { ms: 0, code: 7, checks: [{ fakeCode: 7 }, { fakeCode: 8 }, { body: { contains: '\"code\":7' } }] }";
    const result = load(flow);
    const metrics = new RecordingSink();
    const factory = createVuFactory({ baseUrl: "", data: {}, modules: WITH_FAKE, metrics, createCookieJar: () => new TestJar() });
    const vu = factory(planOf(result).scenarios[0]!, 1);
    await vu.runIteration(never());
    await vu.runIteration(never());
    vu.close();
    expect(metrics.rate("checks", { check: "fake code is 7", group: "", scenario: "s" })).toEqual({ passes: 2, fails: 0 });
    expect(metrics.rate("checks", { check: "fake code is 8" })).toEqual({ passes: 0, fails: 2 });
    expect(metrics.rate("checks", { check: 'body contains "\\"code\\":7"' })).toEqual({ passes: 2, fails: 0 });
  });

  test("`loadr schema` lists every check kind: the shared ones once, the protocol's own on its step", () => {
    const schema = planJsonSchema(WITH_FAKE) as { definitions: Record<string, { anyOf?: Array<{ properties?: Record<string, unknown> }> }> };
    const shared = schema.definitions.check!.anyOf!.flatMap((o) => Object.keys(o.properties ?? {}));
    expect(shared).toEqual(expect.arrayContaining(["status", "header", "body", "json", "duration", "name"]));
    expect(shared).not.toContain("fakeCode");
    const fakeStep = schema.definitions.step!.anyOf!.find((o) => o.properties && "fake" in o.properties) as {
      properties: { fake: { properties: { checks: { items: { anyOf: Array<{ $ref?: string; properties?: Record<string, unknown> }> } } } } };
    };
    const items = fakeStep.properties.fake.properties.checks.items.anyOf;
    expect(items[0]).toEqual({ $ref: "#/definitions/check" });
    expect(Object.keys(items[1]!.properties!)).toEqual(["fakeCode", "name"]);
  });
});

describe("a protocol's own extraction kind", () => {
  test("is accepted on that protocol's step and sets VU variables at run time; a miss is warned by location", async () => {
    const result = load(`      - fake: { ms: 0, code: 5, extract: { code: { attribute: fakeCode }, body: { json: $.code }, none: { attribute: nope } } }
      - fake: { ms: 0, name: "got \${vars.code}/\${vars.body}/\${vars.none}" }`);
    const flow = flowOf(result);
    expect((flow[0]!.spec as FakeSpec).extract.map(({ variable, kind, spec }) => ({ variable, kind, spec }))).toEqual([
      { variable: "code", kind: "attribute", spec: { name: "fakeCode" } },
      { variable: "body", kind: "json", spec: { path: "$.code" } },
      { variable: "none", kind: "attribute", spec: { name: "nope" } },
    ]);
    const metrics = new RecordingSink();
    const warnings: string[] = [];
    const factory = createVuFactory({ baseUrl: "", data: {}, modules: WITH_FAKE, metrics, createCookieJar: () => new TestJar(), warn: (m) => warnings.push(m) });
    const vu = factory(planOf(result).scenarios[0]!, 1);
    await vu.runIteration(never());
    vu.close();
    expect(metrics.sum("fake_ops", { name: "got 5/5/" })).toBe(1);
    expect(warnings).toEqual(['kinds.yaml:7:99: extract "none" found no attribute nope; the variable is unset (renders as "")']);
  });

  test("is rejected on the HTTP request step; a misspelt one on its own step gets did-you-mean", () => {
    expect(issues(load("      - request: { url: http://127.0.0.1/, extract: { x: { attribute: fakeCode } } }"))).toEqual([
      'kinds.yaml:7:58 scenarios.s.flow.0.request.extract.x: unknown extraction "attribute" (extraction kinds: json, regex, header, cookie)',
    ]);
    expect(issues(load("      - fake: { ms: 1, extract: { x: { atribute: fakeCode } } }"))[0]).toContain(
      'unknown extraction "atribute"; did you mean "attribute"? (extraction kinds: json, regex, header, cookie, attribute)',
    );
  });
});

describe("check kinds in the registries", () => {
  const other = (checks: Record<string, CheckKind<any>>): ProtocolModule => ({ ...fake, name: "other", steps: {}, metrics: [], checks });

  test("the built-ins are the shared kinds, then each built-in protocol's own, in the order did-you-mean lists them", () => {
    // Then each built-in protocol's own kinds, in registry order (src/protocols/registry.ts).
    const ownChecks = Object.values(BUILTINS.protocols).flatMap((p) => Object.keys(p.checks ?? {}));
    const ownExtractions = Object.values(BUILTINS.protocols).flatMap((p) => Object.keys(p.extractions ?? {}));
    expect(Object.keys(checksOf(BUILTINS))).toEqual([...SHARED.split(", "), ...ownChecks]);
    expect(Object.keys(checksOf(WITH_FAKE))).toEqual([...SHARED.split(", "), ...ownChecks, "fakeCode"]);
    expect(Object.keys(extractionsOf(BUILTINS))).toEqual(["json", "regex", "header", "cookie", ...ownExtractions]);
  });

  test("a check key is one namespace: shared kinds and every protocol's own; collisions name both owners", () => {
    expect(() => mergeModules(BUILTINS, { protocols: { other: other({ status: SHARED_CHECKS.status! }) } })).toThrow(
      'check "status" is registered twice: by the shared checks and by protocol "other"',
    );
    expect(() => mergeModules(WITH_FAKE, { protocols: { other: other({ fakeCode }) } })).toThrow(
      'check "fakeCode" is registered twice: by protocol "fake" and by protocol "other"',
    );
    expect(() => mergeModules(BUILTINS, { checks: { status: SHARED_CHECKS.status! } })).toThrow(
      'check "status" is registered twice: by the base modules and by the extra modules',
    );
    expect(() => mergeModules(BUILTINS, { protocols: { other: other({ code: fakeCode }) } })).toThrow(
      'protocol "other": check "fakeCode" is registered under the key "code"; use one name for both',
    );
  });

  test("an extra shared kind is accepted by every request-like step, the HTTP one included", () => {
    const merged = mergeModules(BUILTINS, { checks: { fakeCode } });
    expect(flowOf(load("      - request: { url: http://127.0.0.1/, checks: [{ fakeCode: 1 }] }", merged))[0]!.spec).toMatchObject({
      checks: [{ kind: "fakeCode", name: "fake code is 1" }],
    });
  });

  test("a step accepting an own kind its protocol module does not list is a wiring bug, named at load", () => {
    const step = fake.steps.fake as StepKind<FakeSpec>;
    const unlisted: ProtocolModule = { ...fake, checks: undefined, steps: { fake: step } };
    expect(() => load("      - sleep: 1ms", mergeModules(BUILTINS, { protocols: { fake: unlisted } }))).toThrow(
      `a step accepts the check kind "fakeCode", which is not registered: list it in its protocol module's checks`,
    );
  });
});
