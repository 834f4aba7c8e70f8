// A real Prometheus (Debian's `prometheus`, 2.42) for output tests: started in a temp dir on a free
// loopback port with the remote-write receiver and native histograms on, scraping the given
// targets every second; queried over its HTTP API; stopped (by PID) and its dir removed.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const PROMETHEUS_BINARY = process.env.PROMETHEUS_BINARY ?? "prometheus";
/** Prometheus starts in a few seconds; on a loaded machine give it more. */
const READY_TIMEOUT_MS = 60_000;

/** A native histogram as the HTTP API shows it. */
export interface PromHistogram {
  count: string;
  sum: string;
  buckets?: Array<[number, string, string, string]>;
}

/** One element of a query's result: an instant vector's `value`/`histogram`, a range's `values`/`histograms`. */
export interface PromResult {
  metric: Record<string, string>;
  value?: [number, string];
  histogram?: [number, PromHistogram];
  values?: Array<[number, string]>;
  histograms?: Array<[number, PromHistogram]>;
}

export interface PrometheusServer {
  readonly url: string;
  /** `POST /api/v1/query` at `time` (unix s, default now); the result vector. */
  query(promql: string, time?: number): Promise<PromResult[]>;
  /** The one number an instant query answers (the first element), or undefined for an empty result. */
  scalar(promql: string, time?: number): Promise<number | undefined>;
  /** Waits until `check` holds (polling every 200 ms), or throws after `timeoutMs`. */
  waitFor(check: () => Promise<boolean>, what: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound and released: Prometheus takes no port 0). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(options: { scrapeTargets?: string[] } = {}): Promise<PrometheusServer> {
  if (Bun.which(PROMETHEUS_BINARY) === null) {
    throw new Error(`this test needs Prometheus 2.42+ (\`${PROMETHEUS_BINARY}\` is not on PATH): apt-get install prometheus`);
  }
  const dir = mkdtempSync(join(tmpdir(), "loadr-prometheus-"));
  const targets = options.scrapeTargets ?? [];
  const config = [
    "global:",
    "  scrape_interval: 1s",
    "  scrape_timeout: 1s",
    "scrape_configs:",
    ...(targets.length > 0 ? ["  - job_name: loadr", "    static_configs:", `      - targets: [${targets.map((t) => JSON.stringify(t)).join(", ")}]`] : []),
  ].join("\n");
  writeFileSync(join(dir, "prometheus.yml"), `${config}\n`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = Bun.spawn(
    [
      PROMETHEUS_BINARY,
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--web.enable-remote-write-receiver",
      "--enable-feature=native-histograms",
      "--log.level=warn",
    ],
    { stdin: "ignore", stdout: "ignore", stderr: "pipe" },
  );
  let stderr = "";
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) stderr = (stderr + decoder.decode(chunk)).slice(-4000);
  })();
  const stop = async (): Promise<void> => {
    child.kill();
    await child.exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const waitFor = async (check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check().catch(() => false)) return;
      if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}) while waiting for ${what}: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; prometheus said: ${stderr}`);
      await Bun.sleep(200);
    }
  };
  try {
    await waitFor(async () => (await fetch(`${url}/-/ready`)).ok, "prometheus to be ready", READY_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw error;
  }
  const query: PrometheusServer["query"] = async (promql, time) => {
    const body = new URLSearchParams({ query: promql, ...(time !== undefined ? { time: String(time) } : {}) });
    const response = await fetch(`${url}/api/v1/query`, { method: "POST", body });
    const json = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown } };
    if (json.status !== "success") throw new Error(`PromQL ${promql} failed: ${json.error}`);
    const result = json.data!.result;
    if (json.data!.resultType === "scalar") return [{ metric: {}, value: result as [number, string] }];
    return result as PromResult[];
  };
  return {
    url,
    query,
    scalar: async (promql, time) => {
      const [first] = await query(promql, time);
      return first?.value ? Number(first.value[1]) : undefined;
    },
    waitFor,
    stop,
  };
}
