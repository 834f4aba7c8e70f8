// An output plugin (docs/plugins.md): `--out sqlite=FILE` writes every snapshot of the run loop
// into a SQLite database (bun:sqlite), one row per metric per snapshot:
//
//   snapshots(tick, final, start_ms, end_ms, end_unix_ms, metric, type, count, value)
//
// `count`: the interval's samples (counters: their sum; rates: passes + fails); `value`: the
// interval's figure (counter: its count, rate: the pass rate, gauge: the value, trend: avg).
// `add` only buffers; the rows are written in one transaction per second and at `stop`.
// Load it with `loadr run plan.yaml --plugin ./sqlite-output.ts --out sqlite=results.db`.
import { Database } from "bun:sqlite";
import { resolve } from "node:path";
import { definePlugin, type Output, type OutputModule, type RunSnapshot } from "loadr:sdk";

type Row = [number, number, number, number, number, string, string, number, number];

const FLUSH_MS = 1000;

class SqliteOutput implements Output {
  readonly description: string;
  #db: Database | undefined;
  #rows: Row[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly path: string) {
    this.description = `sqlite (${path})`;
  }

  async start(): Promise<void> {
    this.#db = new Database(this.path, { create: true });
    this.#db.run(
      "CREATE TABLE IF NOT EXISTS snapshots (tick INTEGER, final INTEGER, start_ms REAL, end_ms REAL, end_unix_ms INTEGER, metric TEXT, type TEXT, count REAL, value REAL)",
    );
    this.#timer = setInterval(() => this.#flush(), FLUSH_MS);
  }

  add(snapshot: RunSnapshot): void {
    const { interval } = snapshot;
    for (const [metric, v] of Object.entries(interval.metrics)) {
      const [count, value] =
        v.type === "counter" ? [v.count, v.count] : v.type === "rate" ? [v.passes + v.fails, v.rate] : v.type === "gauge" ? [1, v.value] : [v.count, v.avg];
      this.#rows.push([snapshot.tick, snapshot.final ? 1 : 0, interval.startMs, interval.endMs, interval.endUnixMs, metric, v.type, count, value]);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#flush();
    this.#db?.close();
  }

  #flush(): void {
    const db = this.#db;
    if (!db || this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    const insert = db.prepare("INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db.transaction(() => {
      for (const row of rows) insert.run(...row);
    })();
  }
}

const sqlite: OutputModule = {
  name: "sqlite",
  usage: "sqlite=FILE  every snapshot's metrics as rows of a SQLite database (plugin)",
  options: {},
  create(argument, _options, context) {
    if (argument.trim() === "") throw new Error("--out sqlite=FILE needs the database file");
    return new SqliteOutput(resolve(context.cwd, argument));
  },
};

export default definePlugin({ apiVersion: 1, name: "sqlite-output", outputs: { sqlite } });
