// Schema of the `ws:` step (shapes only; normalize.ts compiles the values). An action of
// `session:` is a map whose kind is its key (`- send: …`, `- expect: …`), so a misspelt action gets
// "did you mean" over the action kinds. `expect:` is one check of any kind the step accepts plus
// the action's own `timeout` and `extract`: the check part is validated by the shared check
// schema (from the schema context) and its issues are reported at their place inside `expect:`.
import * as v from "valibot";
import type { StepSchemaContext } from "../../../config/syntax.ts";
import { closest, didYouMean } from "../../../config/suggest.ts";
import {
  bool,
  byKey,
  byType,
  duration,
  int,
  isRecord,
  list,
  map,
  optional,
  scalar,
  SCHEMA_INFO,
  str,
  strict,
  type Schema,
} from "../../../config/schema/helpers.ts";

/** Keys of `expect:` that are the action's, not its check's. */
export const EXPECT_OPTIONS = ["timeout", "extract"] as const;

/** Client close codes the WebSocket API allows: 1000, or 3000–4999 (RFC 6455 §7.4.2). */
const closeCode: Schema = v.pipe(
  int(1000, 4999),
  v.check((code) => code === 1000 || (code as number) >= 3000, (issue) => `close code ${String(issue.input)} is not one a client may send: use 1000 or 3000–4999`),
) as Schema;

/** A close frame's reason is at most 123 bytes (RFC 6455 §5.5). */
const closeReason: Schema = v.pipe(
  v.string("expected a close reason (a string)"),
  v.check((reason) => new TextEncoder().encode(reason).length <= 123, "a close reason is at most 123 bytes"),
) as Schema;

const close = (what: string): Schema => strict({ code: optional(closeCode), reason: optional(closeReason) }, what);

type Issue = v.BaseIssue<unknown>;

/** Union issues carry the real problems nested (as config/schema/validate.ts reports them). */
const flatten = (issues: readonly Issue[]): Issue[] =>
  issues.flatMap((issue) => (issue.type === "union" && issue.issues?.length ? flatten(issue.issues) : [issue]));

/** `{ <check>, timeout?, extract? }`: the check validated by the context's check schema. */
function expectSchema(sc: StepSchemaContext): Schema {
  const checkList = sc.checks() as unknown as { item?: Schema };
  const checkItem = checkList.item;
  if (checkItem === undefined) throw new Error("the checks schema is not a plain list: the ws expect action cannot reuse its item schema");
  const options: Record<(typeof EXPECT_OPTIONS)[number], Schema> = { timeout: duration, extract: sc.extractions() };
  const schema = v.pipe(
    v.unknown(),
    v.rawCheck(({ dataset, addIssue }) => {
      const value = dataset.value;
      if (!isRecord(value)) {
        addIssue({ message: "expected an expect action: a check (json, body, …) with optional timeout and extract, as a map" });
        return;
      }
      const check: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) if (!(EXPECT_OPTIONS as readonly string[]).includes(key)) check[key] = item;
      for (const key of EXPECT_OPTIONS) {
        if (value[key] === undefined) continue;
        const result = v.safeParse(options[key], value[key], { abortEarly: false });
        for (const issue of flatten(result.issues ?? [])) {
          const path = [{ type: "object" as const, origin: "value" as const, input: value, key, value: value[key] }, ...(issue.path ?? [])];
          addIssue({ message: issue.message, input: issue.input, path: path as never });
        }
      }
      const result = v.safeParse(checkItem, check, { abortEarly: false });
      for (const issue of flatten(result.issues ?? [])) {
        const last = issue.path?.at(-1);
        const unknownKey = issue.path?.length === 1 && last && "origin" in last && last.origin === "key" ? String(last.key) : undefined;
        // A misspelt `timeout`/`extract` is the action's key, not the check's.
        const meant = unknownKey === undefined ? undefined : closest(unknownKey, EXPECT_OPTIONS);
        const message = meant === undefined ? issue.message : `unknown key "${unknownKey}" in expect action${didYouMean(unknownKey!, EXPECT_OPTIONS)}`;
        addIssue({ message, input: issue.input, ...(issue.path ? { path: issue.path as never } : {}) });
      }
    }),
  );
  SCHEMA_INFO.set(schema, { kind: "dispatch", options: () => [checkItem], description: "a check with optional timeout and extract" });
  return schema as Schema;
}

const actions = (sc: StepSchemaContext): Record<string, Schema> => {
  const extract = optional(sc.extractions());
  return {
    send: strict(
      { send: byType("a message: text, or { binary: base64 }", { string: scalar, number: scalar, boolean: scalar, object: strict({ binary: str("base64 text") }, "binary message") }) },
      "send action",
    ),
    expect: strict({ expect: expectSchema(sc) }, "expect action"),
    receive: strict({ receive: strict({ count: optional(int(1, 100_000)), timeout: optional(duration), extract }, "receive action") }, "receive action"),
    ping: strict({ ping: byType("{ timeout } or nothing", { object: strict({ timeout: optional(duration) }, "ping action"), boolean: bool }) }, "ping action"),
    sleep: strict({ sleep: duration }, "sleep action"),
    close: strict({ close: close("close action") }, "close action"),
  };
};

const ws = (sc: StepSchemaContext): Schema => {
  const kinds = actions(sc);
  return strict(
    {
      name: optional(str()),
      url: str("a ws:// or wss:// URL, or a path relative to baseUrl"),
      headers: optional(map(scalar, "header values")),
      subprotocols: optional(list(str("a subprotocol name"), "subprotocols")),
      timeout: optional(duration),
      connectTimeout: optional(duration),
      insecure: optional(bool),
      session: optional(list(byKey("ws action", () => kinds), "ws actions")),
      close: optional(close("close")),
      checks: optional(sc.checks()),
      extract: optional(sc.extractions()),
    },
    "ws step",
  );
};

/** The whole step map: `- ws: { … }`. */
export const wsStepSchema = (sc: StepSchemaContext): Schema => strict({ ws: ws(sc) }, "ws step");
