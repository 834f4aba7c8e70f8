// Every output of outputs/registry.ts this file covers, on the compiled binary against `loadr demo`,
// with real receivers: Debian's influxd 1.6 (InfluxQL SUM over the points), a UDP socket for
// StatsD, and the files (jsonl, csv, both also gzip). Each receiver's total of http_reqs equals the
// summary's count, which equals the demo target's own count. A receiver that is down for the whole
// run changes neither the counts nor the exit code, and the summary says what was dropped and why.
// With --local-agents 2 the controller writes the outputs from the merged metrics, each point
// tagged with the run id; a remote controller refuses a plan's `outputs:`.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSocket, type Socket } from "node:dgram";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { gunzipSync } from "node:zlib";
import { requireBinary, spawnUntil } from "../helpers/binary.ts";
import { startInfluxd, type Influxd } from "../helpers/influxd.ts";
import { demoStats, writePlan } from "../helpers/plans.ts";

let demo: Bun.Subprocess;
let demoUrl: string;
let influx: Influxd;

beforeAll(async () => {
  const started = await spawnUntil(["demo", "--port", "0"], /listening on (http:\/\/\S+)/);
  demo = started.process;
  demoUrl = started.match[1]!;
  influx = await startInfluxd();
}, 60_000);

afterAll(async () => {
  demo?.kill();
  await influx?.stop();
});

const plan = (outputs = "") => `
name: outputs-e2e
baseUrl: \${env.BASE_URL}
${outputs}
scenarios:
  steady:
    executor: constant-vus
    vus: 3
    duration: 3s
    gracefulStop: 2s
    flow:
      - request: { name: home, url: /json, checks: [{ status: 200 }] }
      - request: { name: missing, url: /status/404 }
      - sleep: 20ms
`;

/** `loadr run ARGS` in `cwd` (relative output paths, in the plan too, resolve against it). */
async function runLoadr(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = Bun.spawn([requireBinary(), "run", ...args], { cwd, env: { ...process.env, BASE_URL: demoUrl, NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe" });
  const [code, stdout, stderr] = await Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
  return { code, stdout, stderr };
}

interface JsonlLine {
  type: string;
  metric: string;
  tags?: Record<string, string>;
  data: Record<string, number>;
}

const jsonl = (text: string): JsonlLine[] =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as JsonlLine);

const jsonlCount = (lines: JsonlLine[], metric: string) => lines.filter((l) => l.type === "Point" && l.metric === metric).reduce((n, l) => n + l.data.count!, 0);

/** Rows of a CSV without quoted cells (loadr's rows for these plans have none). */
function csvRows(text: string): Array<Record<string, string>> {
  const [header, ...rows] = text.trimEnd().split("\n");
  const columns = header!.split(",");
  return rows.map((r) => Object.fromEntries(r.split(",").map((cell, i) => [columns[i]!, cell])));
}

const csvCount = (rows: Array<Record<string, string>>, metric: string) => rows.filter((r) => r.metric_name === metric).reduce((n, r) => n + Number(r.metric_value), 0);

/** A UDP socket on port 0 keeping every datagram. */
async function udpReceiver(): Promise<{ port: number; datagrams: Buffer[]; close(): void; socket: Socket }> {
  const socket = createSocket("udp4");
  const datagrams: Buffer[] = [];
  socket.on("message", (m) => datagrams.push(m));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { port: socket.address().port, datagrams, socket, close: () => socket.close() };
}

/** Sum of a StatsD counter's values over every datagram. */
function statsdCounter(datagrams: Buffer[], name: string): number {
  let total = 0;
  for (const d of datagrams) {
    for (const line of d.toString().split("\n")) {
      const m = /^([^:]+):([^|]+)\|c(\|#.*)?$/.exec(line);
      if (m && m[1] === name) total += Number(m[2]);
    }
  }
  return total;
}

/** A TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function influxSum(db: string, where = ""): Promise<number> {
  const rows = await influx.query(db, `SELECT SUM("value") FROM "http_reqs"${where}`);
  return Number(rows[0]?.[1] ?? 0);
}

describe("outputs with real receivers (local run)", () => {
  test("influxdb, statsd, jsonl.gz, csv and csv.gz each total the summary's http_reqs, which the target counted", async () => {
    await influx.createDatabase("local");
    const udp = await udpReceiver();
    const dir = writePlan(
      plan(`outputs:
  - influxdb: ${influx.url}/write?db=local
    flushInterval: 500ms
  - csv: results.csv.gz
  - statsd: 127.0.0.1:${udp.port}
    namespace: "loadr."`),
    );
    try {
      const before = (await demoStats(demoUrl)).total;
      const r = await runLoadr([dir.planPath, "--workers", "2", "--quiet", "-o", `jsonl=${dir.path("m.jsonl.gz")}`, "--out", `csv=${dir.path("plain.csv")}`, "--summary-json", dir.path("s.json")], dir.dir);
      expect(r.stderr).not.toContain("output");
      expect(r.code).toBe(0);
      const served = (await demoStats(demoUrl)).total - before;
      const summary = JSON.parse(readFileSync(dir.path("s.json"), "utf8"));
      expect(served).toBeGreaterThan(20);
      expect(summary.metrics.http_reqs.count).toBe(served);
      expect(summary.notes.filter((n: string) => n.startsWith("output "))).toEqual([]);

      expect(await influxSum("local")).toBe(served);
      expect(await influxSum("local", ` WHERE "status" = '404'`)).toBe(served / 2);
      const p95 = await influx.query("local", `SELECT MAX("p95") FROM "http_req_duration"`);
      expect(Number(p95[0]?.[1])).toBeGreaterThan(0);

      const lines = jsonl(gunzipSync(readFileSync(dir.path("m.jsonl.gz"))).toString());
      expect(jsonlCount(lines, "http_reqs")).toBe(served);
      expect(lines.filter((l) => l.metric === "http_reqs" && l.type === "Point").reduce((n, l) => n + l.data.value!, 0)).toBe(served);

      const header = "metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata";
      for (const text of [gunzipSync(readFileSync(dir.path("results.csv.gz"))).toString(), readFileSync(dir.path("plain.csv"), "utf8")]) {
        expect(text.split("\n")[0]).toBe(header);
        const rows = csvRows(text);
        expect(csvCount(rows, "http_reqs")).toBe(served);
        expect(csvCount(rows.filter((row) => row.name === "missing"), "http_reqs")).toBe(served / 2);
        expect(rows.find((row) => row.metric_name === "http_req_duration")?.metadata).toMatch(/^count=\d+&min=.*&p\(95\)=/);
      }

      expect(statsdCounter(udp.datagrams, "loadr.http_reqs")).toBe(served);
      expect(statsdCounter(udp.datagrams, "loadr.http_req_duration.count")).toBe(served);
      expect(statsdCounter(udp.datagrams, "loadr.checks.passes")).toBe(served / 2);
      expect(udp.datagrams.some((d) => /^loadr\.http_req_duration\.p95:[\d.]+\|g$/m.test(d.toString()))).toBe(true);
      for (const d of udp.datagrams) expect(d.length).toBeLessThanOrEqual(1432);
    } finally {
      udp.close();
      dir.cleanup();
    }
  }, 60_000);

  test("a receiver down for the whole run: same counts, exit 0, the summary says how many points were dropped and why", async () => {
    const port = await closedPort();
    const dir = writePlan(plan());
    try {
      const before = (await demoStats(demoUrl)).total;
      const r = await runLoadr([dir.planPath, "--workers", "2", "--out", `influxdb=http://127.0.0.1:${port}/write?db=k6`, "--out", `jsonl=${dir.path("m.jsonl")}`, "--summary-json", dir.path("s.json")]);
      expect(r.code).toBe(0);
      const served = (await demoStats(demoUrl)).total - before;
      const summary = JSON.parse(readFileSync(dir.path("s.json"), "utf8"));
      expect(summary.metrics.http_reqs.count).toBe(served);
      expect(jsonlCount(jsonl(readFileSync(dir.path("m.jsonl"), "utf8")), "http_reqs")).toBe(served);
      const notes = summary.notes.filter((n: string) => n.startsWith("output "));
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(new RegExp(`^output influxdb \\(http://127\\.0\\.0\\.1:${port}/write\\?db=k6&precision=ms\\): (\\d+) of \\1 points were not delivered \\(.*ECONNREFUSED`));
      expect(r.stdout).toContain(notes[0]);
      expect(r.stderr).toContain(`the receiver is failing (POST http://127.0.0.1:${port}/write?db=k6&precision=ms: ECONNREFUSED)`);
    } finally {
      dir.cleanup();
    }
  }, 60_000);

  test("an outputs: entry with an unknown option is a plan error at its line (exit 104); no output starts", async () => {
    const dir = writePlan(plan(`outputs:
  - csv: results.csv
    flushIntervall: 1s`));
    try {
      const r = await runLoadr([dir.planPath]);
      expect(r.code).toBe(104);
      expect(r.stderr).toContain(`plan.yaml:6:5  outputs.0.flushIntervall: unknown key "flushIntervall" in output csv`);
      expect(r.stderr).toContain(`did you mean "flushInterval"?`);
    } finally {
      dir.cleanup();
    }
  });
});

describe("outputs of a distributed run", () => {
  test("--local-agents 2: the controller writes merged metrics, every point tagged run_id; plan outputs and --out both", async () => {
    await influx.createDatabase("cluster");
    const dir = writePlan(plan(`outputs:
  - csv: results.csv
  - jsonl: per-agent.jsonl
    perAgent: true`));
    try {
      const before = (await demoStats(demoUrl)).total;
      const r = await runLoadr([dir.planPath, "--local-agents", "2", "--quiet", "--out", `jsonl=${dir.path("m.jsonl")}`, "--out", `influxdb=${influx.url}/cluster`, "--summary-json", dir.path("s.json")], dir.dir);
      expect(r.code).toBe(0);
      const served = (await demoStats(demoUrl)).total - before;
      const summary = JSON.parse(readFileSync(dir.path("s.json"), "utf8"));
      expect(summary.metrics.http_reqs.count).toBe(served);
      const runId = summary.run_id as string;
      expect(runId).toMatch(/^r\d+/);

      const lines = jsonl(readFileSync(dir.path("m.jsonl"), "utf8"));
      expect(jsonlCount(lines, "http_reqs")).toBe(served);
      expect(lines.filter((l) => l.type === "Point").every((l) => l.tags?.run_id === runId)).toBe(true);
      const rows = csvRows(readFileSync(dir.path("results.csv"), "utf8"));
      expect(csvCount(rows, "http_reqs")).toBe(served);
      expect(rows.every((row) => row.extra_tags === `run_id=${runId}`)).toBe(true);
      expect(await influxSum("cluster", ` WHERE "run_id" = '${runId}'`)).toBe(served);
      expect(lines.some((l) => l.tags?.agent !== undefined)).toBe(false);

      // perAgent: one series per agent, tagged with its name; together they add up to the same count.
      const perAgent = jsonl(readFileSync(dir.path("per-agent.jsonl"), "utf8")).filter((l) => l.type === "Point" && l.metric === "http_reqs");
      const byAgent = new Map<string, number>();
      for (const l of perAgent) byAgent.set(l.tags!.agent!, (byAgent.get(l.tags!.agent!) ?? 0) + l.data.count!);
      expect([...byAgent.keys()].sort()).toEqual(["local-1", "local-2"]);
      for (const count of byAgent.values()) expect(count).toBeGreaterThan(0);
      expect([...byAgent.values()].reduce((a, b) => a + b, 0)).toBe(served);
      expect(perAgent.every((l) => l.tags?.run_id === runId)).toBe(true);
    } finally {
      dir.cleanup();
    }
  }, 90_000);

  test("loadr controller --out and --outputs FILE: the operator's outputs get every run's metrics, {run_id} naming the file", async () => {
    const work = writePlan(plan(), { "outputs.yaml": "outputs:\n  - csv: per-agent-{run_id}.csv\n    perAgent: true\n" });
    const controller = await spawnUntil(
      ["controller", "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data-dir", work.path("data"), "--out", `jsonl=${work.path("{run_id}.jsonl")}`, "--outputs", work.path("outputs.yaml")],
      /agents join (\S+); HTTP API (http:\/\/\S+)/,
      { cwd: work.dir },
    );
    const [, grpc, http] = controller.match;
    const agent = Bun.spawn([requireBinary(), "agent", "--join", grpc!, "--name", "solo", "--workers", "1"], { stdout: "ignore", stderr: "ignore" });
    try {
      const before = (await demoStats(demoUrl)).total;
      const r = await runLoadr([work.planPath, "--controller", http!, "--quiet", "--summary-json", work.path("s.json")]);
      expect(r.code).toBe(0);
      const served = (await demoStats(demoUrl)).total - before;
      const summary = JSON.parse(readFileSync(work.path("s.json"), "utf8"));
      expect(summary.metrics.http_reqs.count).toBe(served);
      const lines = jsonl(readFileSync(work.path(`${summary.run_id}.jsonl`), "utf8"));
      expect(jsonlCount(lines, "http_reqs")).toBe(served);
      expect(lines.filter((l) => l.type === "Point").every((l) => l.tags?.run_id === summary.run_id)).toBe(true);
      // --outputs FILE: options (perAgent) for the operator's outputs; relative paths from the controller's cwd.
      const rows = csvRows(readFileSync(work.path(`per-agent-${summary.run_id}.csv`), "utf8"));
      expect(csvCount(rows, "http_reqs")).toBe(served);
      expect(rows.filter((row) => row.metric_name === "http_reqs").every((row) => row.extra_tags === `agent=solo&run_id=${summary.run_id}`)).toBe(true);
    } finally {
      agent.kill();
      controller.process.kill();
      await Promise.all([agent.exited, controller.process.exited]);
      work.cleanup();
    }
  }, 90_000);

  test("a remote controller refuses a plan's outputs: (exit 104) and --out with --controller", async () => {
    const dataDir = writePlan("");
    const controller = await spawnUntil(["controller", "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data-dir", dataDir.path("data")], /HTTP API (http:\/\/\S+)/);
    const dir = writePlan(plan(`outputs:
  - jsonl: m.jsonl`));
    try {
      const url = controller.match[1]!;
      const r = await runLoadr([dir.planPath, "--controller", url]);
      expect(r.code).toBe(104);
      expect(r.stderr).toContain("plan.yaml:5:5 outputs[0]: a controller does not write a submitted plan's outputs");
      const flag = await runLoadr([writePlan(plan()).planPath, "--controller", url, "--out", "jsonl=m.jsonl"]);
      expect(flag.code).toBe(104);
      expect(flag.stderr).toContain("--out does not reach a remote controller");
    } finally {
      controller.process.kill();
      await controller.process.exited;
      dir.cleanup();
      dataDir.cleanup();
    }
  }, 60_000);
});
