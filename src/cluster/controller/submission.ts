// A submission (the body of POST /api/runs, shape in api-types.ts) read and checked before
// anything uses it: it crosses a trust boundary. Every field is type-checked and size-limited,
// unknown fields are refused, data files are decoded only after their paths and sizes passed, and
// nothing here touches the disk. Each refusal is a SubmissionError with the HTTP status it maps to
// (400 a malformed request, 413 a limit passed, 422 a plan or file problem the user must fix) and a
// plain message that never echoes a file's contents. Pure.
import { readManifests, type PluginManifest } from "../../plugin-api/manifest.ts";
import { MAX_PLAN_BYTES } from "../../config/yaml-structure.ts";
import { LoadrError } from "../../shared/errors.ts";
import { EXIT_FAILURE, EXIT_INVALID_CONFIG } from "../../shared/exit-codes.ts";
import type { SubmitRequest } from "../api-types.ts";
import type { MetricDelta } from "../../metrics/types.ts";
import { readAgentBatch } from "./run-metrics.ts";
import { checkDataFiles, DataFileError, fileTooBig, filesTooBig, MAX_FILES, MAX_TOTAL_BYTES, MAX_FILE_BYTES, tooManyFiles } from "../files.ts";

/** Limits on the small fields of a submission. */
const SUBMISSION_LIMITS = {
  planFileLength: 255,
  envCount: 1_000,
  envNameLength: 256,
  envValueBytes: 64 * 1024,
  /** All of them together: they travel in every Assignment (rpc.ts sizes it). */
  envTotalBytes: 1024 * 1024,
  selectorCount: 64,
  labelLength: 256,
  maxAgents: 100_000,
} as const;

type SubmissionStatus = 400 | 413 | 422;

export class SubmissionError extends LoadrError {
  constructor(
    readonly status: SubmissionStatus,
    message: string,
    hint?: string,
  ) {
    super(message, { code: "submission", exitCode: status === 422 ? EXIT_INVALID_CONFIG : EXIT_FAILURE, ...(hint ? { hint } : {}) });
    this.name = "SubmissionError";
  }
}

/** A checked submission: files decoded and keyed by normalized path. */
interface Submission {
  plan: string;
  planFile: string;
  files: Map<string, Uint8Array>;
  env: Record<string, string>;
  cluster: NonNullable<SubmitRequest["cluster"]>;
  /** The plugins' manifests (src/plugin-api/manifest.ts). */
  plugins: PluginManifest[];
  /** What the submitter's run of the hooks' setup returned (JSON text) and recorded (a delta, checked against the plan later). */
  setup: { data?: string; delta?: MetricDelta };
}

/** Setup's JSON result and its metrics delta: each at most this long. */
export const MAX_SETUP_BYTES = 1 << 20;

const FIELDS = ["plan", "planFile", "files", "env", "cluster", "plugins", "setup"] as const;
const CLUSTER_FIELDS = ["agents", "waitMs", "selector", "onAgentLoss"] as const;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const describe = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "a list" : typeof value);
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const bad = (message: string, hint?: string) => new SubmissionError(400, message, hint);

function refuseUnknown(object: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) throw bad(`unknown field ${JSON.stringify(key.slice(0, 64))} in ${where}; the fields are ${known.join(", ")}`);
  }
}

/** Checks `body` (parsed JSON) and decodes its files; throws SubmissionError. */
export function readSubmission(body: unknown): Submission {
  if (!isPlainObject(body)) throw bad(`the submission must be a JSON object with a "plan" (got ${describe(body)})`);
  refuseUnknown(body, FIELDS, "the submission");
  const { plan } = body;
  if (typeof plan !== "string" || plan.trim() === "") {
    throw bad(`the submission has no plan: "plan" must be the plan's YAML text (got ${typeof plan === "string" ? "an empty string" : describe(plan)})`);
  }
  const planBytes = Buffer.byteLength(plan, "utf8");
  if (planBytes > MAX_PLAN_BYTES) {
    throw new SubmissionError(413, `the plan is ${mib(planBytes)}; plans are limited to ${mib(MAX_PLAN_BYTES)}`, "put bulk data in CSV files under data:");
  }
  return { plan, planFile: readPlanFile(body.planFile), files: readFiles(body.files), env: readEnv(body.env), cluster: readCluster(body.cluster), plugins: readPlugins(body.plugins), setup: readSetup(body.setup) };
}

function readSetup(value: unknown): Submission["setup"] {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw bad(`"setup" must be an object {data?, delta?} (got ${describe(value)})`);
  refuseUnknown(value, ["data", "delta"], '"setup"');
  const out: Submission["setup"] = {};
  for (const field of ["data", "delta"] as const) {
    const text = value[field];
    if (text === undefined) continue;
    if (typeof text !== "string") throw bad(`"setup.${field}" must be JSON text (got ${describe(text)})`);
    if (Buffer.byteLength(text, "utf8") > MAX_SETUP_BYTES) throw new SubmissionError(413, `"setup.${field}" is ${mib(Buffer.byteLength(text, "utf8"))}; it is limited to ${mib(MAX_SETUP_BYTES)}`, "return less from setup(): share ids and tokens, not data sets");
  }
  if (typeof value.data === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.data);
    } catch {
      throw bad(`"setup.data" is not JSON`);
    }
    if (!isPlainObject(parsed)) throw bad(`"setup.data" must be a JSON object (what setup() returned), got ${describe(parsed)}`);
    out.data = value.data;
  }
  if (typeof value.delta === "string") {
    const read = readAgentBatch(new TextEncoder().encode(value.delta));
    if ("problem" in read) throw bad(`"setup.delta" was refused: ${read.problem.replace(/^its delta/, "it")}`);
    out.delta = read.delta;
  }
  return out;
}

function readPlugins(value: unknown): PluginManifest[] {
  try {
    return readManifests(value);
  } catch (error) {
    throw bad((error as Error).message, "submit with loadr run --controller, which sends every plugin's manifest");
  }
}

function readPlanFile(value: unknown): string {
  if (value === undefined) return "plan.yaml";
  if (typeof value !== "string" || value === "" || value.length > SUBMISSION_LIMITS.planFileLength || /[\u0000-\u001f]/.test(value)) {
    throw bad(`"planFile" must be the plan's file name: a string of 1 to ${SUBMISSION_LIMITS.planFileLength} printable characters`);
  }
  return value;
}

function readFiles(value: unknown): Map<string, Uint8Array> {
  if (value === undefined) return new Map();
  if (!isPlainObject(value)) throw bad(`"files" must be an object of relative path → base64 content (got ${describe(value)})`);
  const entries = Object.entries(value);
  if (entries.length > MAX_FILES) throw new SubmissionError(413, tooManyFiles(entries.length).message);
  // Sizes from the base64 lengths first: nothing is decoded past a limit.
  let total = 0;
  for (const [path, content] of entries) {
    if (typeof content !== "string") throw bad(`data file ${JSON.stringify(path.slice(0, 256))}: its content must be a base64 string (got ${describe(content)})`);
    const bytes = Math.floor((content.length * 3) / 4);
    if (bytes > MAX_FILE_BYTES + 2) throw new SubmissionError(413, fileTooBig(path.slice(0, 256), bytes).message);
    total += bytes;
  }
  if (total > MAX_TOTAL_BYTES + 2 * entries.length) throw new SubmissionError(413, filesTooBig(total).message);
  const decoded: Record<string, Uint8Array> = Object.create(null) as Record<string, Uint8Array>;
  for (const [path, content] of entries as Array<[string, string]>) {
    if (content.length % 4 !== 0 || !BASE64.test(content)) throw bad(`data file ${JSON.stringify(path.slice(0, 256))}: its content is not valid base64`);
    decoded[path] = Buffer.from(content, "base64");
  }
  try {
    return new Map(Object.entries(checkDataFiles(decoded)));
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    const status = error.problem === "size" ? 413 : error.problem === "collision" ? 400 : 422;
    throw new SubmissionError(status, error.message, "data files travel with the run: keep them beside the plan or below its directory");
  }
}

function readEnv(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw bad(`"env" must be an object of variable name → string value (got ${describe(value)})`);
  const entries = Object.entries(value);
  const { envCount, envNameLength, envValueBytes, envTotalBytes } = SUBMISSION_LIMITS;
  if (entries.length > envCount) throw new SubmissionError(413, `"env" has ${entries.length} variables; at most ${envCount} are allowed`);
  const env: Record<string, string> = {};
  let total = 0;
  for (const [name, v] of entries) {
    if (name === "" || name.length > envNameLength) throw bad(`"env": a variable name must be 1 to ${envNameLength} characters long`);
    if (typeof v !== "string") throw bad(`"env": the value of ${JSON.stringify(name)} must be a string (got ${describe(v)})`);
    const bytes = Buffer.byteLength(v, "utf8");
    if (bytes > envValueBytes) throw new SubmissionError(413, `"env": the value of ${JSON.stringify(name)} is longer than ${envValueBytes / 1024} KiB`);
    total += name.length + bytes;
    if (total > envTotalBytes) throw new SubmissionError(413, `"env": the variables total more than ${envTotalBytes / 1024 / 1024} MiB`);
    Object.defineProperty(env, name, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return env;
}

function readCluster(value: unknown): NonNullable<SubmitRequest["cluster"]> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw bad(`"cluster" must be an object (got ${describe(value)})`);
  refuseUnknown(value, CLUSTER_FIELDS, `"cluster"`);
  const out: NonNullable<SubmitRequest["cluster"]> = {};
  const { agents, waitMs, selector, onAgentLoss } = value;
  if (agents !== undefined) {
    if (typeof agents !== "number" || !Number.isInteger(agents) || agents < 0 || agents > SUBMISSION_LIMITS.maxAgents) {
      throw bad(`"cluster.agents" must be a whole number from 0 to ${SUBMISSION_LIMITS.maxAgents} (got ${JSON.stringify(agents)})`);
    }
    out.agents = agents;
  }
  if (waitMs !== undefined) {
    if (typeof waitMs !== "number" || !Number.isFinite(waitMs) || waitMs < 0) throw bad(`"cluster.waitMs" must be a number of milliseconds ≥ 0 (got ${JSON.stringify(waitMs)})`);
    out.waitMs = waitMs;
  }
  if (selector !== undefined) out.selector = readSelector(selector);
  if (onAgentLoss !== undefined) {
    if (onAgentLoss !== "continue" && onAgentLoss !== "abort") throw bad(`"cluster.onAgentLoss" must be "continue" or "abort" (got ${JSON.stringify(onAgentLoss)})`);
    out.onAgentLoss = onAgentLoss;
  }
  return out;
}

function readSelector(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) throw bad(`"cluster.selector" must be an object of label → value (got ${describe(value)})`);
  const entries = Object.entries(value);
  const { selectorCount, labelLength } = SUBMISSION_LIMITS;
  if (entries.length > selectorCount) throw bad(`"cluster.selector" has ${entries.length} labels; at most ${selectorCount} are allowed`);
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (typeof v !== "string" || k.length > labelLength || v.length > labelLength) {
      throw bad(`"cluster.selector": each label and value must be a string of at most ${labelLength} characters`);
    }
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
