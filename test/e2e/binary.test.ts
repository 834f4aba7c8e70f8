// The compiled binary, copied to an empty directory outside the repository, behaves as a user
// expects: demo target, a plan with a CSV feed, the summary, exit codes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireBinary, spawnUntil } from "../helpers/binary.ts";
import { demoStats } from "../helpers/plans.ts";

let dir: string;
let loadr: string;
let demo: Bun.Subprocess;
let demoUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "loadr-e2e-"));
  loadr = join(dir, "loadr");
  copyFileSync(requireBinary(), loadr);
  Bun.spawnSync(["chmod", "+x", loadr]);
  const started = await spawnUntil(["demo", "--port", "0"], /listening on (http:\/\/\S+)/);
  demo = started.process;
  demoUrl = started.match[1]!;
});

afterAll(() => {
  demo?.kill();
  rmSync(dir, { recursive: true, force: true });
});

function runBinary(args: string[]) {
  const result = Bun.spawnSync([loadr, ...args], { cwd: dir, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

describe("the compiled binary in an empty directory", () => {
  test("runs a plan with a CSV feed; the summary count equals the target's", async () => {
    writeFileSync(join(dir, "users.csv"), "name,password\nann,a1\nbob,b2\n");
    writeFileSync(
      join(dir, "plan.yaml"),
      `name: e2e
baseUrl: \${env.BASE_URL}
data:
  users: { csv: users.csv, mode: sequential }
scenarios:
  login:
    executor: per-vu-iterations
    vus: 4
    iterations: 5
    flow:
      - request:
          name: login
          method: POST
          url: /login
          json: { user: "\${data.users.name}", password: "\${data.users.password}" }
          extract:
            token: { json: "$.token" }
      - request:
          name: me
          url: /me
          headers: { authorization: "Bearer \${vars.token}" }
          checks:
            - status: 200
            - json: "$.user"
              equals: "\${data.users.name}"
`,
    );
    const before = (await demoStats(demoUrl)).total;
    const { code, stdout, stderr } = runBinary(["run", "plan.yaml", "--env", `BASE_URL=${demoUrl}`, "--summary-json", "out.json", "--quiet"]);
    expect(stderr).not.toContain("unexpected failure");
    expect(code).toBe(0);
    expect(stdout).toContain("http_reqs");
    const summary = JSON.parse(readFileSync(join(dir, "out.json"), "utf8"));
    expect(summary.metrics.http_reqs.count).toBe(40);
    const after = await demoStats(demoUrl);
    expect(after.total - before).toBe(40);
    expect(after.byProtocol.http).toBe(after.total);
    expect(summary.root_group.checks["status is 200"].passes).toBe(20);
  });

  test("loadr demo --port 0 prints each endpoint's address on its own line; /_stats counts by protocol", async () => {
    const started = await spawnUntil(["demo", "--port", "0"], /^loadr demo target listening on (\S+)\nhttp +(\S+)$/m);
    try {
      const [, url, http] = started.match;
      expect(http).toBe(url!);
      expect((await fetch(`${http}/json`)).status).toBe(200);
      expect(await demoStats(http!)).toEqual({ total: 1, byPath: { "/json": 1 }, byProtocol: { http: 1 } });
    } finally {
      started.process.kill();
      await started.process.exited;
    }
  });

  test("a missing CSV file is a config error: exit 104 with the file named", () => {
    writeFileSync(
      join(dir, "missing.yaml"),
      `name: missing
data:
  users: { csv: nobody.csv }
scenarios:
  s:
    executor: per-vu-iterations
    flow:
      - request: { url: "http://127.0.0.1:1/" }
`,
    );
    const { code, stderr } = runBinary(["run", "missing.yaml"]);
    expect(code).toBe(104);
    expect(stderr).toContain("nobody.csv");
    expect(stderr).toMatch(/missing\.yaml:3:\d+/);
  });

  test("version starts quickly", () => {
    const started = performance.now();
    const { code, stdout } = runBinary(["version"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^loadr \d+\.\d+\.\d+/);
    expect(performance.now() - started).toBeLessThan(5_000); // correctness only; startup is benchmarked
  });
});
