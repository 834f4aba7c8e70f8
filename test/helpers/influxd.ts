// Debian's `influxd` (1.6) for the InfluxDB output's tests: a temporary config and data directory,
// HTTP on 127.0.0.1 port 0 (the port read from its log), ready once /ping answers 204. `stop`
// kills it (by its own PID) and removes the directory.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Influxd {
  url: string;
  /** An InfluxQL query against `db`; its first series' rows. */
  query(db: string, q: string): Promise<unknown[][]>;
  createDatabase(db: string): Promise<void>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

export async function startInfluxd(): Promise<Influxd> {
  const binary = Bun.which("influxd");
  if (!binary) throw new Error("influxd is missing: the InfluxDB output's tests need Debian's influxd 1.6 (apt-get install influxdb)");
  const dir = mkdtempSync(join(tmpdir(), "loadr-influxd-"));
  writeFileSync(
    join(dir, "influxdb.conf"),
    `reporting-disabled = true
bind-address = "127.0.0.1:0"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:0"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
`,
  );
  const child = Bun.spawn([binary, "-config", join(dir, "influxdb.conf")], { stdout: "ignore", stderr: "pipe", stdin: "ignore" });
  const stop = async () => {
    child.kill();
    await child.exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await listeningUrl(child);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while ((await fetch(`${url}/ping`).then((r) => r.status, () => 0)) !== 204) {
      if (Date.now() > deadline) throw new Error(`influxd at ${url} did not answer /ping in time`);
      await Bun.sleep(50);
    }
    const run = async (db: string | undefined, q: string, method: "GET" | "POST") => {
      const params = new URLSearchParams({ q, ...(db ? { db } : {}) });
      const res = await fetch(`${url}/query?${params}`, { method });
      const body = (await res.json()) as { results: Array<{ series?: Array<{ values: unknown[][] }>; error?: string }>; error?: string };
      const error = body.error ?? body.results[0]?.error;
      if (error) throw new Error(`influxd: ${q}: ${error}`);
      return body.results[0]?.series?.[0]?.values ?? [];
    };
    return {
      url,
      query: (db, q) => run(db, q, "GET"),
      createDatabase: async (db) => void (await run(undefined, `CREATE DATABASE "${db}"`, "POST")),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Reads influxd's log (stderr) until it says where it listens for HTTP. */
async function listeningUrl(child: Bun.Subprocess<"ignore", "ignore", "pipe">): Promise<string> {
  const reader = child.stderr.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), Bun.sleep(Math.max(0, deadline - Date.now())).then(() => undefined)]);
    if (!chunk || chunk.done) break;
    seen += decoder.decode(chunk.value, { stream: true });
    const match = /msg="Listening on HTTP".*?addr=(\S+)/.exec(seen);
    if (match) {
      reader.releaseLock();
      // Keep draining its log so influxd never blocks on a full pipe.
      void (async () => {
        for await (const _ of child.stderr) void _;
      })().catch(() => {});
      return `http://${match[1]}`;
    }
  }
  throw new Error(`influxd did not say where it listens; its log: ${seen.slice(-2000)}`);
}
