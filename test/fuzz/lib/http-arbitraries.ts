// Generators of requests to the controller's HTTP API (http-api-properties.ts): any method,
// path, headers and body; submission-shaped JSON with plans, files, env and cluster overrides of
// every kind; and the hazards of known failures, produced only when asked (`Hazards`).
import fc from "fast-check";
import { textuallyMutated, yamlNoise } from "./yaml-arbitraries.ts";

export interface HttpCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

/** Plans that validate and then wait for agents no one has (so they never run). */
export function waitingPlan(extra = ""): string {
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

export const jsonish = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, [], {}, "", 0, -1, 1e308, true));
const fileName = fc.oneof(
  fc.constantFrom("users.csv", "", ".", "..", "../x.csv", "/etc/passwd", "a/../../b", "a", "a/", "a/b", "a\u0000b", "__proto__", "constructor", "C:\\x", "%2e%2e/x", "./users.csv", "users.csv/"),
  fc.string({ maxLength: 30 }),
);
const fileContent = fc.oneof(fc.base64String({ maxLength: 64 }), fc.constantFrom(null, 0, {}, [], "%%%", "bmFtZQpi"), fc.string({ maxLength: 20 }));

/** Which known failures a request generator may produce (the CI property produces neither). */
export interface Hazards {
  /** Ill-typed JSON where an object or a string is read: a `null` body, `cluster: null`, a `planFile` that is not a string. */
  illTyped: boolean;
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
    // Without hazards, `files` is always there: a plan that names users.csv ships it.
    { requiredKeys: hazards.unshippedFiles ? ["plan"] : ["plan", "files"] },
  );
  const anything = fc.record(
    {
      plan,
      planFile: fc.oneof(fc.constant("plan.yaml"), fc.string({ maxLength: 20 }), hazards.illTyped ? jsonish : fc.constant(undefined)),
      files: fc.oneof(fc.dictionary(fileName, fileContent, { maxKeys: 4 }), jsonish),
      env: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), jsonish), { maxKeys: 4 }), jsonish),
      cluster: fc.oneof(
        fc.record({ agents: jsonish, waitMs: fc.oneof(fc.integer(), jsonish), selector: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })), jsonish), onAgentLoss: fc.oneof(fc.constantFrom("continue", "abort"), jsonish) }, { requiredKeys: [] }),
        hazards.illTyped ? jsonish : jsonish.filter((v) => v !== null),
      ),
    },
    { requiredKeys: ["plan"] },
  );
  return fc.oneof({ weight: 2, arbitrary: nearlyValid }, { weight: 3, arbitrary: anything });
}

/** Submissions of plans that name files outside what they ship (with other files shipped, or none). */
export function unshippedSubmissionArb(canaryPath: string): fc.Arbitrary<HttpCase> {
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
  const json = hazards.illTyped ? jsonish : jsonish.filter((v) => v !== null);
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
