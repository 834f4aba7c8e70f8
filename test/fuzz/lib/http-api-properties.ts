// Properties of a real controller's HTTP API (cluster-under-test.ts) under arbitrary requests:
// any method, path, headers and body (JSON shaped like a submission or not, up to a size bound),
// and submissions whose data files point at the controller's own disk. No answer carries
// internals (stack frames, source or data-dir paths, JS error text), a 500 at most says so in a
// sentence, no answer echoes a file the controller was never sent (a canary), and the controller
// stays up and answers /healthz after every request.
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterUnderTest } from "./cluster-under-test.ts";
import { HEALTH_TIMEOUT_MS } from "./cluster-under-test.ts";
import { fuzzProperty, type FuzzProperty } from "./harness.ts";
import { textuallyMutated, yamlNoise } from "./yaml-arbitraries.ts";

/** What leaks internals in an answer: stack frames, JS runtime errors, source paths, SQLite. */
const INTERNALS: Array<[RegExp, string]> = [
  [/\n\s+at [^\n]+[:(]/, "a stack frame"],
  [/\b(?:undefined|null) is not an object|Cannot read propert|is not a function|is not iterable|Maximum call stack/, "a JS runtime error"],
  [/\.tsx?:\d+|\/src\/|node_modules/, "a source path"],
  [/SQLITE_|sqlite3?\b/i, "a SQLite error"],
];

export interface HttpCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

/** Plans that validate and then wait for agents no one has (so they never run). */
function waitingPlan(extra = ""): string {
  return `name: fuzz-api
baseUrl: http://127.0.0.1:9
scenarios:
  s:
    executor: shared-iterations
    iterations: 1
    flow:
      - request: { url: / }
${extra}cluster:
  agents: 1
  wait: 2s
  selector: { fuzz-none: "${crypto.randomUUID()}" }
`;
}

const jsonish = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, [], {}, "", 0, -1, 1e308, true));
const fileName = fc.oneof(
  fc.constantFrom("users.csv", "", ".", "..", "../x.csv", "/etc/passwd", "a/../../b", "a", "a/", "a/b", "a\u0000b", "__proto__", "constructor", "C:\\x", "%2e%2e/x", "./users.csv", "users.csv/"),
  fc.string({ maxLength: 30 }),
);
const fileContent = fc.oneof(fc.base64String({ maxLength: 64 }), fc.constantFrom(null, 0, {}, [], "%%%", "bmFtZQpi"), fc.string({ maxLength: 20 }));

/** Which known failures a request generator may produce (the CI property produces neither). */
export interface Hazards {
  /** A JSON `null` body. */
  nullBodies: boolean;
  /** Plans naming data files they do not ship (the controller's own disk, /proc, a canary). */
  unshippedFiles: boolean;
}

const USERS_B64 = Buffer.from("name,password\nann,pw\n").toString("base64");

/** Submission-shaped bodies: plan text of every kind, odd files, env and cluster overrides. */
function submissionArb(canaryPath: string, hazards: Hazards): fc.Arbitrary<unknown> {
  const withUsers = waitingPlan("data:\n  users:\n    csv: users.csv\n");
  const unshipped = [
    waitingPlan(`data:\n  leak:\n    csv: ${canaryPath}\n`),
    waitingPlan(`data:\n  leak:\n    csv: ../../../${canaryPath.split("/").slice(-1)[0]}\n`),
    waitingPlan("data:\n  leak:\n    csv: /proc/self/cmdline\n"),
    waitingPlan("data:\n  leak:\n    csv: /proc/self/environ\n"),
    withUsers,
  ];
  const plan = fc.oneof(fc.constant(waitingPlan()), textuallyMutated([waitingPlan()]), yamlNoise, jsonish, ...(hazards.unshippedFiles ? [fc.constantFrom(...unshipped)] : []));
  // Files are always shipped with the plan that names them, unless hazards.unshippedFiles.
  const shipped = (files: Record<string, unknown>) => (hazards.unshippedFiles ? files : { ...files, "users.csv": USERS_B64 });
  const nearlyValid = fc.record(
    {
      plan: fc.oneof(fc.constant(waitingPlan()), fc.constant(withUsers), textuallyMutated([waitingPlan()])),
      planFile: fc.constantFrom("plan.yaml", "dir/plan.yaml", "../plan.yaml"),
      files: fc.oneof(fc.constant({}), fc.constant({ "users.csv": USERS_B64 }), fc.dictionary(fileName, fc.constant(USERS_B64), { maxKeys: 3 })).map(shipped),
      env: fc.constant({}),
    },
    { requiredKeys: ["plan"] },
  );
  const anything = fc.record(
    {
      plan,
      planFile: fc.oneof(fc.constant("plan.yaml"), fc.string({ maxLength: 20 }), jsonish),
      files: fc.oneof(fc.dictionary(fileName, fileContent, { maxKeys: 4 }), jsonish),
      env: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), jsonish), { maxKeys: 4 }), jsonish),
      cluster: fc.oneof(
        fc.record({ agents: jsonish, waitMs: fc.oneof(fc.integer(), jsonish), selector: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })), jsonish), onAgentLoss: fc.oneof(fc.constantFrom("continue", "abort"), jsonish) }, { requiredKeys: [] }),
        jsonish,
      ),
    },
    { requiredKeys: ["plan"] },
  );
  return fc.oneof({ weight: 2, arbitrary: nearlyValid }, { weight: 3, arbitrary: anything });
}

/** Submissions of plans that name files outside what they ship (with other files shipped, or none). */
function unshippedSubmissionArb(canaryPath: string): fc.Arbitrary<HttpCase> {
  const target = fc.constantFrom(canaryPath, `../../../${canaryPath.split("/").slice(-1)[0]}`, "/proc/self/cmdline", "/proc/self/environ", "/etc/hostname", "users.csv", "sub/users.csv");
  return fc
    .tuple(target, fc.dictionary(fileName, fc.constant(USERS_B64), { maxKeys: 2 }), fc.constantFrom("plan.yaml", "dir/plan.yaml"))
    .filter(([path, files]) => !Object.hasOwn(files, path))
    .map(([path, files, planFile]): HttpCase => ({
      method: "POST",
      path: "/api/runs",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ plan: waitingPlan(`data:\n  leak:\n    csv: ${path}\n`), planFile, files }),
    }));
}

export function requestArb(runIds: () => readonly string[], canaryPath: string, maxBodyBytes: number, hazards: Hazards): fc.Arbitrary<HttpCase> {
  const id = fc.oneof(fc.constant("KNOWN"), fc.constantFrom("", "x", "r00000000000000-0000", "..", "%00", "a".repeat(300)), fc.string({ maxLength: 12 }));
  const path = fc.oneof(
    fc.constantFrom("/healthz", "/metrics", "/api/agents", "/api/runs", "/api/runs/", "/", "/api", "//api/runs", "/api/runs?x=1", "/API/RUNS"),
    fc.tuple(id, fc.constantFrom("", "/control", "/events", "/series", "/nope", "/control/", "/events?last=1")).map(([i, sub]) => `/api/runs/${i}${sub}`),
    fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("..", "%2e%2e", "%00", "api", "runs")), { maxLength: 5 }).map((segs) => `/${segs.map(encodeURIComponent).join("/")}`),
    fc.integer({ min: 1_000, max: 8_000 }).map((n) => `/api/runs/${"z".repeat(n)}`),
  );
  const json = hazards.nullBodies ? jsonish : jsonish.filter((v) => v !== null);
  const body = fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: submissionArb(canaryPath, hazards).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.record({ action: fc.oneof(fc.constantFrom("stop", "kill", "pause", "resume", "scale"), jsonish), scenario: fc.oneof(fc.constant("s"), jsonish), vus: jsonish }, { requiredKeys: [] }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: json.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 1_024 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: maxBodyBytes }).map((n) => JSON.stringify({ plan: "x".repeat(n) })) },
  );
  const headers = fc.record(
    {
      "content-type": fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "multipart/form-data; boundary=x", "", "application/x-www-form-urlencoded"),
      authorization: fc.constantFrom("Bearer x", "Basic eDp5", "", "Bearer " + "t".repeat(4_000)),
      accept: fc.constantFrom("*/*", "text/event-stream", "application/json"),
      "x-fuzz": fc.string({ maxLength: 64 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
    },
    { requiredKeys: [] },
  );
  return fc.record({ method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "POST", "POST", "FUZZ"), path, headers, body }).map((r) => {
    const known = runIds();
    const p = r.path.replace("KNOWN", known.length ? known[r.path.length % known.length]! : "none");
    // fetch sends a body only with POST, PUT, PATCH and DELETE.
    return { ...r, path: p, ...(["POST", "PUT", "PATCH", "DELETE"].includes(r.method) ? {} : { body: undefined }) };
  });
}

/** What is wrong with one answer, or undefined. */
export function answerProblem(status: number, body: string, secrets: readonly string[]): string | undefined {
  for (const [re, what] of INTERNALS) if (re.test(body)) return `HTTP ${status} carries ${what}: ${body.slice(0, 300)}`;
  for (const s of secrets) if (s && body.includes(s)) return `HTTP ${status} echoes ${JSON.stringify(s.slice(0, 40))}: ${body.slice(0, 300)}`;
  if (status >= 500) {
    let sentence = false;
    try {
      const parsed = JSON.parse(body) as { error?: unknown };
      sentence = typeof parsed.error === "string" && parsed.error.length > 0;
    } catch {}
    if (!sentence) return `HTTP ${status} without a JSON error sentence: ${body.slice(0, 300)}`;
  }
  return undefined;
}

/** Sends one case; the answer's status and up to 1 MB of its body (event streams are cut after their head). */
export async function send(c: ClusterUnderTest, r: HttpCase): Promise<{ status: number; body: string }> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), HEALTH_TIMEOUT_MS);
  try {
    let res: Response;
    try {
      res = await fetch(`${c.http}${r.path}`, { method: r.method, headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}), signal: ac.signal });
    } catch (error) {
      if (ac.signal.aborted) throw new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`);
      throw error;
    }
    if ((res.headers.get("content-type") ?? "").includes("text/event-stream")) {
      ac.abort();
      return { status: res.status, body: "" };
    }
    const text = await res.text();
    return { status: res.status, body: text.slice(0, 1024 * 1024) };
  } finally {
    clearTimeout(timer);
  }
}

interface HttpEnv {
  c: ClusterUnderTest;
  canaryPath: string;
  canary: string;
  runIds: string[];
}

export function env(c: ClusterUnderTest): HttpEnv {
  const canary = `CANARY-${crypto.randomUUID()}`;
  const canaryPath = join(c.dataDir, "..", "canary.csv");
  writeFileSync(canaryPath, `${canary},x\n${canary},y\n`);
  return { c, canaryPath, canary, runIds: [] };
}

const envs = new WeakMap<ClusterUnderTest, HttpEnv>();
const envOf = (c: ClusterUnderTest) => envs.get(c) ?? (envs.set(c, env(c)), envs.get(c)!);

async function check(e: HttpEnv, r: HttpCase): Promise<{ status: number; body: string }> {
  const { status, body } = await send(e.c, r);
  const problem = answerProblem(status, body, [e.canary, e.c.dataDir]);
  if (problem) throw new Error(`${r.method} ${r.path.slice(0, 120)}: ${problem}`);
  if (status === 202) {
    try {
      const id = (JSON.parse(body) as { id?: string }).id;
      if (id) e.runIds.push(id);
    } catch {}
  }
  await e.c.assertHealthy(`${r.method} ${r.path.slice(0, 120)}`);
  return { status, body };
}

export const HTTP_API_PROPERTIES: FuzzProperty<ClusterUnderTest>[] = [
  fuzzProperty<ClusterUnderTest, [HttpCase]>(
    {
      id: "http-api/requests",
      runs: 300,
      claim: "any method, path, headers and body (to 256 KB): no answer carries internals or a file it was not sent, a 500 says why in words, and the controller stays up",
    },
    (c) => {
      const e = envOf(c);
      return fc.asyncProperty(requestArb(() => e.runIds, e.canaryPath, 256 * 1024, { nullBodies: false, unshippedFiles: false }), async (r) => void (await check(e, r)));
    },
  ),
  fuzzProperty<ClusterUnderTest, [HttpCase]>(
    {
      id: "http-api/large-bodies",
      runs: 6,
      noShrink: true,
      claim: "bodies of 1–16 MB to every route: no internals in the answer, and the controller stays up",
    },
    (c) => {
      const e = envOf(c);
      return fc.asyncProperty(
        fc.tuple(fc.constantFrom("/api/runs", "/api/runs/x/control", "/metrics"), fc.integer({ min: 1, max: 16 })).map(([path, mb]): HttpCase => ({
          method: "POST", path, headers: { "content-type": "application/json" }, body: JSON.stringify({ plan: "y".repeat(mb * 1024 * 1024) }),
        })),
        async (r) => void (await check(e, r)),
      );
    },
  ),
  // Findings (issue 11 items 1, 6 and 9).
  fuzzProperty<ClusterUnderTest, [HttpCase]>(
    {
      id: "http-api/null-bodies",
      runs: 100,
      claim: "JSON `null` (and every other JSON value) as a body: a 4xx in words, no internals",
      knownFailure: "http-api.ts/runs.ts read `request.plan` off the parsed body: POST /api/runs with `null` answers 500 {\"error\":\"null is not an object (evaluating 'request.plan')\"}",
    },
    (c) => {
      const e = envOf(c);
      return fc.asyncProperty(
        fc.tuple(fc.constantFrom("/api/runs", "/api/runs/KNOWN/control"), jsonish).map(([path, v]): HttpCase => ({ method: "POST", path, headers: { "content-type": "application/json" }, body: JSON.stringify(v) })),
        async (r) => void (await check(e, { ...r, path: r.path.replace("KNOWN", e.runIds[0] ?? "none") })),
      );
    },
  ),
  fuzzProperty<ClusterUnderTest, [HttpCase]>(
    {
      id: "http-api/unshipped-data-files",
      runs: 100,
      claim: "a submission naming data files it did not ship is refused (never accepted: that would mean a read of the controller's disk), and no answer names the controller's paths or echoes a file it was not sent",
      knownFailure: "cluster/controller/runs.ts writes the shipped files under --data-dir/runs/ID and validates the plan against that directory on disk: a missing file's message names the data dir's absolute path, and paths out of it reach the rest of the disk",
    },
    (c) => {
      const e = envOf(c);
      return fc.asyncProperty(unshippedSubmissionArb(e.canaryPath), async (r) => {
        const { status, body } = await check(e, r);
        if (status === 202 && typeof r.body === "string" && /csv: (\/|\.\.\/)/.test(r.body)) {
          throw new Error(`a plan naming a file outside what it shipped was accepted: ${body.slice(0, 200)}`);
        }
      });
    },
  ),
  fuzzProperty<ClusterUnderTest, [string]>(
    {
      id: "http-api/condition-submission",
      runs: 3,
      noShrink: true,
      claim: "a submitted plan with any `if:` condition is answered within the health timeout, and the controller stays up",
      knownFailure: "config/conditions.ts `tokenize` never advances past a lone '=', '&' or '|': POST /api/runs with `if: \"a = b\"` freezes the controller's event loop while its memory grows without bound",
    },
    (c) => {
      const e = envOf(c);
      return fc.asyncProperty(fc.constantFrom("a = b", "x & y", "a | b", "${vars.n} = 1"), async (cond) => {
        const plan = waitingPlan().replace("      - request: { url: / }\n", `      - if: "${cond}"\n        then:\n          - request: { url: / }\n`);
        await check(e, { method: "POST", path: "/api/runs", headers: { "content-type": "application/json" }, body: JSON.stringify({ plan }) });
      });
    },
  ),
];
