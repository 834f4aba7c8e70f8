// The `tcp:` and `udp:` steps through the plan loader: the shapes of
// ../shared/reference/protocols.yaml load; a misspelt key is listed with line:col and "did you
// mean"; cross-field mistakes name the key at fault.
import { describe, expect, test } from "bun:test";
import type { TcpStepSpec } from "../../../src/protocols/tcp/step/spec.ts";
import type { UdpStepSpec } from "../../../src/protocols/udp/step/spec.ts";
import { loadIssues, loadOk, SCOPE, specOf, withFlow } from "../config/helpers.ts";

const ENV = { TCP_TARGET: "127.0.0.1:7000", UDP_TARGET: "127.0.0.1:7001" };

describe("tcp and udp steps", () => {
  test("the reference shapes load, expect's contains becoming a named check", () => {
    const plan = loadOk(
      withFlow(`
- tcp:
    name: line
    target: \${env.TCP_TARGET}
    send: "PING \${vu}\\n"
    expect:
      until: "\\n"
      contains: "PING \${vu}"
      timeout: 1s
- udp:
    name: dgram
    target: \${env.UDP_TARGET}
    send: { base64: aGVsbG8= }
    expect:
      contains: "ping \${iteration}"
      timeout: 1s
`),
      ENV,
    );
    const [tcpStep, udpStep] = plan.scenarios[0]!.flow;
    const tcp = specOf<TcpStepSpec>(tcpStep, "tcp");
    expect(tcp.target.render(SCOPE)).toBe("127.0.0.1:7000");
    expect(tcp.expect).toEqual({ until: "\n", timeout: 1000 });
    expect(tcp.keepAlive).toBe(true);
    expect(tcp.checks.map((c) => [c.kind, c.name])).toEqual([["body", 'expect contains "PING ${vu}"']]);
    const udp = specOf<UdpStepSpec>(udpStep, "udp");
    expect(udp.expectTimeout).toBe(1000);
    expect(udp.send.kind).toBe("base64");
  });

  test("a misspelt key is listed with its line and column and a suggestion", () => {
    const issues = loadIssues(
      withFlow(`
- tcp:
    target: 127.0.0.1:7000
    send: hi
    expekt: { until: "\\n" }
- udp:
    target: 127.0.0.1:7001
    send: hi
    expect: { timout: 1s }
`),
    );
    const tcp = issues.find((i) => i.message.includes('"expekt"'));
    expect(tcp?.message).toContain('did you mean "expect"');
    expect(tcp?.line).toBe(9);
    const udp = issues.find((i) => i.message.includes('"timout"'));
    expect(udp?.message).toContain('did you mean "timeout"');
    expect(udp?.line).toBe(13);
  });

  test("until with length, and checks on a udp step that expects no reply, are errors at the key", () => {
    const issues = loadIssues(
      withFlow(`
- tcp:
    target: 127.0.0.1:7000
    send: hi
    expect: { until: "\\n", length: 4 }
- udp:
    target: 127.0.0.1:7001
    send: hi
    checks: [{ body: { contains: hi } }]
`),
    );
    expect(issues.some((i) => i.path.endsWith("expect.length") && i.message.includes("not both"))).toBe(true);
    expect(issues.some((i) => i.path.endsWith("udp.checks") && i.message.includes("expects none"))).toBe(true);
  });
});

describe("the protocol examples", () => {
  for (const name of ["tcp", "udp", "graphql"]) {
    test(`examples/protocols/${name}.yaml validates`, async () => {
      const { loadPlanFile } = await import("../../../src/config/load.ts");
      const { BUILTINS } = await import("../../../src/builtins.ts");
      const file = new URL(`../../../examples/protocols/${name}.yaml`, import.meta.url).pathname;
      const result = await loadPlanFile(file, { ...ENV, BASE_URL: "http://127.0.0.1:8080" }, { modules: BUILTINS });
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      expect(result.plan.scenarios[0]!.flow[0]!.kind).toBe(name);
    });
  }
});
