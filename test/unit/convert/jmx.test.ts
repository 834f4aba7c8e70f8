// Unit tests of the JMX converter's parts: JMeter's `${…}` text → loadr templates, conditions →
// expressions, Java regular expressions, parse errors with positions, and plan-level rules
// (response-code sets, disabled elements, purity). The whole-plan mappings are the golden tests
// (test/integration/convert/jmx-golden.test.ts).
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertFile } from "../../../src/cli/commands/convert.ts";
import { memoryIO } from "../../../src/cli/io.ts";
import { translateJs, Unmapped, unwrap } from "../../../src/convert/jmx/condition.ts";
import { javaRegex } from "../../../src/convert/jmx/extractors.ts";
import { convertJmx } from "../../../src/convert/jmx/index.ts";
import { toExpression, toTemplate, translate, type TextContext } from "../../../src/convert/jmx/text.ts";
import { ConvertInputError } from "../../../src/convert/types.ts";

function textContext() {
  const dropped: string[] = [];
  const ctx: TextContext = { variable: (name) => [{ kind: "expr", code: `vars.${name}` }], dropped: (what) => dropped.push(what) };
  return { ctx, dropped };
}

const template = (text: string) => {
  const { ctx, dropped } = textContext();
  return { out: toTemplate(translate(text, ctx)), dropped };
};

describe("JMeter text → loadr templates", () => {
  test("variables, properties with and without defaults, and the mapped functions", () => {
    expect(template("/users/${id}/orders").out).toBe("/users/${vars.id}/orders");
    expect(template("${__P(host,example.com)}").out).toBe("${env.host:-example.com}");
    // __P without a default is "1" (JMeter's rule); a dotted property name becomes an env name.
    expect(template("${__P(group1.threads)}").out).toBe("${env.group1_threads:-1}");
    expect(template("${__property(user.name,,guest)}").out).toBe("${env.user_name:-guest}");
    expect(template("${__property(region)}").out).toBe("${env.region:-region}");
    expect(template("n=${__Random(1,100)}").out).toBe("n=${randomInt(1, 100)}");
    expect(template("${__Random(${min},10)}").out).toBe("${randomInt(int(vars.min), 10)}");
    expect(template("${__UUID}-${__UUID()}").out).toBe("${uuid()}-${uuid()}");
    expect(template("${__time()}|${__time(/1000)}").out).toBe("${timestamp()}|${int(timestamp() / 1000)}");
    expect(template("vu ${__threadNum}").out).toBe("vu ${vu}");
  });

  test("a function loadr lacks stays literal text (escaped) and is reported; so are formats and stored variables", () => {
    const unknown = template("${__RandomString(8,abc)}!");
    expect(unknown.out).toBe("$${__RandomString(8,abc)}!");
    expect(unknown.dropped).toEqual(["function __RandomString"]);
    expect(template("${__time(yyyyMMdd)}").dropped).toEqual(['function __time with the format "yyyyMMdd"']);
    expect(template("${__Random(1,6,dice)}").dropped).toEqual(['function __Random storing into variable "dice"']);
  });

  test("literal ${ of loadr's syntax is escaped; incomplete references stay text; \\, is a comma inside arguments", () => {
    expect(template("price: $5 ${").out).toBe("price: $5 $${");
    expect(template("${unclosed").out).toBe("$${unclosed");
    expect(template("${__P(list,a\\,b)}").out).toBe("${env.list:-a,b}");
  });

  test("as one expression: text quoted, joined with +", () => {
    const { ctx } = textContext();
    expect(toExpression(translate("id-${n}", ctx))).toBe("'id-' + vars.n");
    expect(toExpression(translate("${n}", ctx))).toBe("vars.n");
    expect(toExpression(translate("it's", ctx))).toBe("'it\\'s'");
  });
});

describe("JMeter conditions → loadr expressions", () => {
  const js = (code: string) => unwrap(translateJs(code, textContext().ctx));

  test("comparisons, logic, string methods, vars.get and parse functions", () => {
    expect(js('"${status}" == "ok"')).toBe("vars.status == 'ok'");
    expect(js("${count} >= 2 && ${count} < 10")).toBe("(vars.count >= 2) && (vars.count < 10)");
    expect(js('"${token}" !== "NOT_FOUND" || !${done}')).toBe("(vars.token != 'NOT_FOUND') || !vars.done");
    expect(js('"${body}".indexOf("id=") != -1')).toBe("contains(vars.body, 'id=')");
    expect(js('"${body}".indexOf("x") == -1')).toBe("!contains(vars.body, 'x')");
    expect(js('"${name}".toLowerCase().startsWith("a")')).toBe("startsWith(lower(vars.name), 'a')");
    expect(js('"${name}".length > 3')).toBe("len(vars.name) > 3");
    expect(js("parseInt(${n}) + 1 > 2")).toBe("(int(vars.n) + 1) > 2");
    expect(js('vars.get("x") == "y"')).toBe("vars.x == 'y'");
    expect(js('"prefix-${id}" == "prefix-7"')).toBe("('prefix-' + vars.id) == 'prefix-7'");
  });

  test("JavaScript without a loadr form is Unmapped (the converter makes it a hook)", () => {
    expect(() => js("Math.random() < 0.5")).toThrow(Unmapped);
    expect(() => js("${a} ? 1 : 2")).toThrow(Unmapped);
    expect(() => js("x = 1; y")).toThrow(Unmapped);
    expect(() => js("${a} instanceof B")).toThrow(Unmapped);
  });
});

describe("Java regular expressions", () => {
  test("leading inline flags become a modifier group; \\A and \\z anchors; Java-only constructs are refused", () => {
    expect(javaRegex("(?s)<b>(.*?)</b>")).toBe("(?s:<b>(.*?)</b>)");
    expect(new RegExp(javaRegex("(?i)token=(\\w+)")!).exec("TOKEN=abc")?.[1]).toBe("abc");
    expect(javaRegex("\\Aid=(\\d+)\\z")).toBe("^id=(\\d+)$");
    expect(javaRegex("a++b")).toBeUndefined();
    expect(javaRegex("(?>ab)")).toBeUndefined();
  });
});

/** A minimal JMX around one thread group's hashTree content. */
function jmx(groupChildren: string, planChildren = ""): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="2.8" jmeter="2.13">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="t" enabled="true"/>
    <hashTree>
      ${planChildren}
      <ThreadGroup guiclass="ThreadGroupGui" testclass="ThreadGroup" testname="g" enabled="true">
        <stringProp name="ThreadGroup.num_threads">1</stringProp>
      </ThreadGroup>
      <hashTree>
        ${groupChildren}
      </hashTree>
    </hashTree>
  </hashTree>
</jmeterTestPlan>
`;
}

const sampler = (name: string, path: string, children = "", enabled = true) => `
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="${name}" enabled="${enabled}">
          <stringProp name="HTTPSampler.domain">example.test</stringProp>
          <stringProp name="HTTPSampler.path">${path}</stringProp>
          <stringProp name="HTTPSampler.method">GET</stringProp>
        </HTTPSamplerProxy>
        <hashTree>${children}</hashTree>`;

const codeAssertion = (type: number, ...codes: string[]) => `
          <ResponseAssertion guiclass="AssertionGui" testclass="ResponseAssertion" testname="codes" enabled="true">
            <collectionProp name="Asserion.test_strings">${codes.map((c) => `<stringProp name="${c}">${c}</stringProp>`).join("")}</collectionProp>
            <stringProp name="Assertion.test_field">Assertion.response_code</stringProp>
            <intProp name="Assertion.test_type">${type}</intProp>
          </ResponseAssertion>
          <hashTree/>`;

const convert = (source: string, fileName = "plan.jmx") => convertJmx({ source, fileName, options: {} });
type Flow = Array<{ request?: { url: string; checks?: Array<{ status?: number | number[] }> } }>;
const flowOf = (plan: Record<string, unknown>) => ((plan.scenarios as Record<string, { flow: Flow }>).g!.flow);

describe("the JMX converter", () => {
  test("malformed XML is a ConvertInputError at the parser's line and column", () => {
    const broken = jmx(sampler("a", "/a")).replace("</HTTPSamplerProxy>", "</HTTPSampler>");
    let error: unknown;
    try {
      convert(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConvertInputError);
    const e = error as ConvertInputError;
    expect(e.line).toBe(broken.split("\n").findIndex((l) => l.includes("</HTTPSampler>")) + 1);
    expect(e.column).toBeGreaterThan(1);
    expect(e.message).toStartWith(`plan.jmx:${e.line}:${e.column}: not well-formed XML`);
  });

  test("a DOCTYPE, another root element or a file without a Test Plan is refused with where", () => {
    expect(() => convert(`<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<jmeterTestPlan/>`)).toThrow("plan.jmx:2:1: a DOCTYPE is not allowed");
    expect(() => convert(`<?xml version="1.0"?>\n<project><x/></project>`)).toThrow("plan.jmx:2:1: this is not a JMeter test plan: the root element is <project>");
    expect(() => convert(`<jmeterTestPlan><hashTree></hashTree></jmeterTestPlan>`)).toThrow("holds no Test Plan element");
  });

  test("nesting past the limit is refused, not recursed into", () => {
    const deep = `<jmeterTestPlan><hashTree>${"<hashTree>".repeat(400)}${"</hashTree>".repeat(400)}</hashTree></jmeterTestPlan>`;
    expect(() => convert(deep)).toThrow(ConvertInputError);
  });

  test("the CLI exits 104 with the position for a file it cannot parse", () => {
    const dir = mkdtempSync(join(tmpdir(), "loadr-jmx-bad-"));
    try {
      writeFileSync(join(dir, "bad.jmx"), "<jmeterTestPlan>\n  <hashTree>\n</jmeterTestPlan>\n");
      const { io, stderr } = memoryIO({}, dir);
      expect(convertFile({ kind: "jmx", input: "bad.jmx", rawArgs: [] }, io)).toBe(104);
      expect(stderr()).toContain("bad.jmx:3:");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a response-code assertion becomes the exact set of codes JMeter accepts (patterns, not, or)", () => {
    const checks = (type: number, ...codes: string[]) => flowOf(convert(jmx(sampler("a", "/a", codeAssertion(type, ...codes)))).plan)[0]!.request!.checks;
    expect(checks(8, "200")).toEqual([{ status: 200 }]); // equals
    expect(checks(8 | 32, "200", "201")).toEqual([{ status: [200, 201] }]); // equals, or
    expect(checks(1, "30[12]")).toEqual([{ status: [301, 302] }]); // matches
    const notServerError = checks(8 | 4, "500")![0]!.status as number[];
    expect(notServerError).toHaveLength(499);
    expect(notServerError).not.toContain(500);
  });

  test("disabled elements are skipped and noted as mapped (nothing JMeter would run is lost); notes follow the file", () => {
    const { plan, notes } = convert(jmx(sampler("on", "/on") + sampler("off", "/off", "", false)));
    expect(flowOf(plan).map((s) => s.request?.url)).toEqual(["/on"]);
    const off = notes.find((n) => n.where.includes("'off'"))!;
    expect(off).toMatchObject({ kind: "mapped", detail: "disabled: skipped, as JMeter skips it" });
    const lines = notes.map((n) => Number(/:(\d+)\)$/.exec(n.where)?.[1]));
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  test("a literal server becomes an overridable base URL; other servers stay absolute", () => {
    const other = sampler("b", "http://other.test:8081/x?y=1");
    const { plan } = convert(jmx(sampler("a", "/a") + sampler("a2", "/a2") + other));
    expect(plan.baseUrl).toBe("${env.BASE_URL:-http://example.test}");
    expect(flowOf(plan).map((s) => s.request?.url)).toEqual(["/a", "/a2", "http://other.test:8081/x?y=1"]);
  });

  test("pure: the same input converts to the same result twice", () => {
    const source = jmx(sampler("a", "/a", codeAssertion(8, "200")));
    expect(convert(source)).toEqual(convert(source));
  });
});
