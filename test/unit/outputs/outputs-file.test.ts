// `loadr controller --outputs FILE` (config/outputs-file.ts): the same `outputs:` list as a plan's,
// checked the same way, every problem at its line:col; anything else in the file is an error.
import { describe, expect, test } from "bun:test";
import { BUILTINS } from "../../../src/builtins.ts";
import { loadOutputsFile } from "../../../src/config/outputs-file.ts";

describe("loadOutputsFile", () => {
  test("an outputs: list with options and ${env.*}", () => {
    const result = loadOutputsFile("outputs:\n  - influxdb: ${env.URL}/k6\n    token: ${env.TOKEN}\n    perAgent: true\n  - jsonl: /data/{run_id}.jsonl\n", "outputs.yaml", BUILTINS, { URL: "http://i:8086", TOKEN: "t" });
    expect(result).toEqual({
      ok: true,
      outputs: [
        { name: "influxdb", argument: "http://i:8086/k6", options: { token: "t", perAgent: true }, origin: "outputs.yaml:2:5 outputs[0]" },
        { name: "jsonl", argument: "/data/{run_id}.jsonl", options: {}, origin: "outputs.yaml:5:5 outputs[1]" },
      ],
    });
  });

  test("every problem at its line:col: another top-level key, an unknown option, YAML errors", () => {
    const bad = loadOutputsFile("scenarios: {}\noutputs:\n  - csv: a.csv\n    dogstatsd: true\n", "o.yaml", BUILTINS, {});
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      `1:1 scenarios: unknown key "scenarios" in the outputs file (outputs: [...])`,
      `4:5 outputs.0.dogstatsd: unknown key "dogstatsd" in output csv (its options: flushInterval, perAgent, tags)`,
    ]);
    const yaml = loadOutputsFile("outputs: [\n", "o.yaml", BUILTINS, {});
    expect(yaml.ok).toBe(false);
    if (!yaml.ok) expect(yaml.issues[0]!.message).toStartWith("YAML: ");
  });
});
