// A plan's `outputs:` list (config/schema/outputs.ts, config/normalize/outputs.ts): validated with
// positions like the rest of the plan, every mistake reported, options declared by each output;
// and the requests it makes, through the registry (outputs/from-flags.ts).
import { describe, expect, test } from "bun:test";
import { OUTPUTS } from "../../../src/outputs/registry.ts";
import { createOutputs, requestsFromFlags } from "../../../src/outputs/from-flags.ts";
import { loadIssues, loadOk } from "../config/helpers.ts";

const plan = (outputs: string) => `baseUrl: http://localhost:8080
scenarios:
  s:
    executor: per-vu-iterations
    flow:
      - sleep: 1ms
outputs:
${outputs}`;

const at = (issues: { line: number; column: number; path: string; message: string }[]) => issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);

describe("outputs: in a plan", () => {
  test("entries become specs in order: name, argument (env templates rendered), options (durations in ms), where written", () => {
    const p = loadOk(
      plan(`  - jsonl: results.jsonl
  - influxdb: \${env.INFLUX}/write?db=k6
    flushInterval: 5s
    token: \${env.TOKEN}
    headers: { X-Team: perf }
    tags: { drop: [url] }
  - statsd: 127.0.0.1:8125
    dogstatsd: true
    namespace: "app."`),
      { INFLUX: "http://127.0.0.1:8086", TOKEN: "secret" },
    );
    expect(p.outputs).toEqual([
      { name: "jsonl", argument: "results.jsonl", options: {}, origin: "plan.yaml:8:5 outputs[0]" },
      {
        name: "influxdb",
        argument: "http://127.0.0.1:8086/write?db=k6",
        options: { flushInterval: 5000, token: "secret", headers: { "X-Team": "perf" }, tags: { drop: ["url"] } },
        origin: "plan.yaml:9:5 outputs[1]",
      },
      { name: "statsd", argument: "127.0.0.1:8125", options: { dogstatsd: true, namespace: "app." }, origin: "plan.yaml:14:5 outputs[2]" },
    ]);
  });

  test("every mistake at its line:col: unknown output, unknown option (with a suggestion), wrong types, an option of another output, headers on a file output", () => {
    const issues = loadIssues(
      plan(`  - jsnl: a.jsonl
  - csv: a.csv
    flushIntervall: 1s
  - statsd: 127.0.0.1:8125
    dogstatsd: yes please
  - influxdb: http://127.0.0.1:8086/k6
    flushInterval: soon
    tags: { keep: url }
  - jsonl: a.jsonl
    token: x
  - csv: b.csv
    headers: { A: b }
  - csv: c.csv
    flushInterval: 0s`),
    );
    expect(at(issues)).toEqual([
      expect.stringMatching(/^8:5 outputs\.0: unknown output "jsnl"; did you mean "jsonl"\? \(output kinds: jsonl, csv, statsd, influxdb\b.*\)$/),
      `10:5 outputs.1.flushIntervall: unknown key "flushIntervall" in output csv; did you mean "flushInterval"? (its options: flushInterval, perAgent, tags)`,
      `12:16 outputs.2.dogstatsd: expected true or false`,
      expect.stringMatching(/^14:20 outputs\.3\.flushInterval: .*"soon"/),
      `15:19 outputs.3.tags.keep: expected a list of tag names, got "url"`,
      `17:5 outputs.4.token: unknown key "token" in output jsonl (its options: flushInterval, perAgent, tags)`,
      `19:5 outputs.5.headers: unknown key "headers" in output csv (its options: flushInterval, perAgent, tags)`,
      `21:20 outputs.6.flushInterval: flushInterval must be above zero, e.g. 1s`,
    ]);
  });

  test("a plan's specs and --out make outputs through the registry; a bad argument names where it was written", () => {
    const p = loadOk(plan(`  - influxdb: http://127.0.0.1:8086/`));
    expect(() => createOutputs(p.outputs!, OUTPUTS, { cwd: "/", planName: "p" })).toThrow("plan.yaml:8:5 outputs[0]: the URL names no database");
    expect(() => createOutputs(requestsFromFlags(["statsd=localhost"], OUTPUTS), OUTPUTS, { cwd: "/", planName: "p" })).toThrow('--out statsd=localhost: expected HOST:PORT, got "localhost"');
    expect(() => requestsFromFlags(["statd=127.0.0.1:8125"], OUTPUTS)).toThrow('--out statd=127.0.0.1:8125: there is no output "statd"; did you mean "statsd"?');
    const [csv, jsonl] = createOutputs(requestsFromFlags(["csv=out.csv", "jsonl=/tmp/x.jsonl.gz"], OUTPUTS), OUTPUTS, { cwd: "/work", planName: "p" });
    expect(csv!.description).toBe("csv (/work/out.csv)");
    expect(jsonl!.description).toBe("jsonl (/tmp/x.jsonl.gz)");
  });
});
