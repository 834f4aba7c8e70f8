// The reliability suite's property contract, shared by the bounded runs in `npm test`
// (test/fuzz/*.test.ts) and the long runs of `npm run fuzz` (scripts/fuzz.ts): each property has an
// id ("area/name"), a run count for CI, and builds its fast-check property from an environment
// (nothing, or a controller under test). CI runs use a fixed seed, so a red CI is reproducible
// as it stands; `LOADR_FUZZ_SEED` overrides it, and `npm run fuzz` draws a fresh one and prints it.
//
// A property with `knownFailure` states something the code does not do yet (a finding of this
// suite, handed over with its reproduction): CI does not run it, `npm run fuzz` does and says
// whether it still fails. When it holds, drop the field and it joins CI.
import fc from "fast-check";

/** The seed of CI runs (any fixed value: what matters is that a failure replays). */
const CI_SEED = 20_111;
/** Characters of a counterexample shown in a report (inputs can be megabytes). */
const SHOWN_CHARS = 1_500;

export interface FuzzProperty<Env> {
  /** "plan-loader/random-yaml": the area (test file) and the property. */
  id: string;
  /** Inputs per CI run; `npm run fuzz` multiplies it. Keeps each property within a few seconds. */
  runs: number;
  /** What must hold, in words (printed by `npm run fuzz`). */
  claim: string;
  /** Why it fails today and where (issue 11 item, file); absent when it holds. */
  knownFailure?: string;
  /** Report the first failing input as it is: shrinking would rerun inputs that take seconds each. */
  noShrink?: boolean;
  property(env: Env): fc.IProperty<never> | fc.IAsyncProperty<never>;
}

/** Declares a property (keeps the tuple type of its arbitraries out of the registry's type). */
export function fuzzProperty<Env, Ts extends [unknown, ...unknown[]]>(
  fields: { id: string; runs: number; claim: string; knownFailure?: string; noShrink?: boolean },
  property: (env: Env) => fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
): FuzzProperty<Env> {
  return { ...fields, property: property as unknown as FuzzProperty<Env>["property"] };
}

/** The properties CI runs: those that hold. */
export function holding<Env>(list: readonly FuzzProperty<Env>[]): FuzzProperty<Env>[] {
  return list.filter((p) => p.knownFailure === undefined);
}

/** Parameters of a CI run: the fixed seed (or LOADR_FUZZ_SEED), the property's run count. */
function ciParameters(p: { runs: number; noShrink?: boolean }): fc.Parameters<never> {
  const fromEnv = Number(process.env.LOADR_FUZZ_SEED);
  return { seed: process.env.LOADR_FUZZ_SEED && Number.isFinite(fromEnv) ? fromEnv : CI_SEED, numRuns: p.runs, endOnFailure: p.noShrink === true };
}

/** A failure in a few lines: seed and path (to replay), the input (cut), the error. Undefined on success. */
export function reportOf(id: string, details: fc.RunDetails<unknown>): string | undefined {
  if (!details.failed) return undefined;
  let input: string;
  try {
    input = fc.stringify(details.counterexample);
  } catch {
    input = String(details.counterexample);
  }
  if (input.length > SHOWN_CHARS) input = `${input.slice(0, SHOWN_CHARS)}… (${input.length} characters in all)`;
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const how = details.interrupted ? "was interrupted" : `failed after ${details.numRuns} run(s), shrunk ${details.numShrinks} time(s)`;
  return `${id} ${how} (seed ${details.seed}, path "${details.counterexamplePath}")\n  input: ${input}\n  error: ${error.split("\n").slice(0, 6).join("\n         ")}`;
}

/** Runs one property (CI: `await assertProperty(p, env)`); throws the compact report on failure. */
export async function assertProperty<Env>(p: FuzzProperty<Env>, env: Env, params: fc.Parameters<never> = ciParameters(p)): Promise<void> {
  const details = await fc.check(p.property(env) as fc.IAsyncProperty<never>, params);
  const report = reportOf(p.id, details as unknown as fc.RunDetails<unknown>);
  if (report) throw new Error(report);
}

/** CPU time (user + system, ms) this process spends in `f`: steadier than wall time on a busy host. */
export function cpuMs<T>(f: () => T): { value: T; ms: number } {
  const before = process.cpuUsage();
  const value = f();
  const used = process.cpuUsage(before);
  return { value, ms: (used.user + used.system) / 1000 };
}

/** Throws unless `ms` (what one input took) is within the hang guard `limitMs`. Not a performance figure. */
export function withinHangGuard(what: string, ms: number, limitMs: number): void {
  if (ms > limitMs) throw new Error(`${what} took ${Math.round(ms)} ms, past the hang guard of ${limitMs} ms`);
}
