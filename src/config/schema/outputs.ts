// Schema of a plan's `outputs:` list: each entry a map whose output is its registered key, with
// the output's argument as that key's value and options beside it, as `--out NAME=ARGUMENT` plus
// options (src/outputs/types.ts). The common options are declared here, once; an output adds its
// own through `OutputSyntax.options` (config/syntax.ts). Unknown keys are errors at the key.
//
//   outputs:
//     - jsonl: results.jsonl.gz
//     - influxdb: http://127.0.0.1:8086/write?db=k6
//       flushInterval: 5s
//       tags: { drop: [url] }
import type { OutputSyntax } from "../syntax.ts";
import { didYouMean } from "../suggest.ts";
import { bool, byKey, duration, list, map, optional, scalar, str, strict, type Schema } from "./helpers.ts";
import { parseDuration } from "../duration.ts";
import * as v from "valibot";

/** A flush interval: a duration above zero. */
const flushInterval: Schema = v.pipe(
  duration,
  v.check((value) => parseDuration(value) !== 0, "flushInterval must be above zero, e.g. 1s"),
) as Schema;

/** The options every output takes; `headers` only those that speak HTTP (`OutputSyntax.http`). */
export function commonOutputOptions(output: OutputSyntax) {
  return {
    flushInterval: optional(flushInterval),
    perAgent: optional(bool),
    tags: optional(
      strict(
        {
          keep: optional(list(str("a tag name"), "tag names")),
          drop: optional(list(str("a tag name"), "tag names")),
        },
        "tags (keep: [names] or drop: [names])",
      ),
    ),
    ...(output.http ? { headers: optional(map(scalar, "header values")) } : {}),
  };
}

export function outputsSchema(outputs: Readonly<Record<string, OutputSyntax>>): Schema {
  const entries: Record<string, Schema> = {};
  for (const output of Object.values(outputs)) {
    entries[output.name] = strict(
      {
        [output.name]: str(`the argument of ${output.usage.split(/\s{2,}/)[0]}`),
        ...commonOutputOptions(output),
        ...output.options,
      },
      `output ${output.name}`,
      (key, known) => `unknown key "${key}" in output ${output.name}${didYouMean(key, known)} (its options: ${known.filter((k) => k !== output.name).join(", ")})`,
    );
  }
  return list(byKey("output", () => entries, "output"), "outputs");
}
