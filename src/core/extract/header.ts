// `{ header: NAME }`: the first value of the response header NAME (case-insensitive).
import { str, strict } from "../../config/schema/helpers.ts";
import type { ExtractKind } from "../../plugin-api/types.ts";

export interface HeaderExtraction {
  /** Lower-case. */
  header: string;
}

export const headerExtraction: ExtractKind<HeaderExtraction> = {
  key: "header",
  schema: strict({ header: str("a header name") }, "header extraction"),
  normalize: (raw) => (typeof raw.header === "string" ? { header: raw.header.toLowerCase() } : undefined),
  extract: (spec, response) => response.headers[spec.header.toLowerCase()]?.[0],
  describe: (spec) => `header ${spec.header}`,
};
