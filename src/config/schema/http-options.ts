// Schema of `http: { version }`, shared by `defaults:`, scenarios and request steps; the values
// are config/normalize/request-defaults.ts `HTTP_VERSIONS`.
import * as v from "valibot";
import { HTTP_VERSIONS } from "../normalize/request-defaults.ts";
import { optional, strict, type Schema } from "./helpers.ts";

const version: Schema = v.pipe(
  v.union([v.string(), v.number()], () => `version must be one of ${HTTP_VERSIONS.map((x) => `"${x}"`).join(", ")}`),
  v.check(
    (x) => (HTTP_VERSIONS as readonly string[]).includes(String(x)),
    (issue) => `version ${JSON.stringify(issue.input)} is not one of ${HTTP_VERSIONS.map((x) => `"${x}"`).join(", ")}`,
  ),
) as Schema;

export const httpOptionsSchema: Schema = strict({ version: optional(version) }, "http");
