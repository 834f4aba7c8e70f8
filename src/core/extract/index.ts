// The extraction kinds every request-like step accepts, whatever its protocol, one file each: an
// explicit map gathered into the modules by src/builtins.ts. A new shared kind is a new file here
// plus one line below; a protocol's own kinds go in its module's `extractions`.
import type { ExtractKind } from "../../plugin-api/types.ts";
import { cookieExtraction } from "./cookie.ts";
import { headerExtraction } from "./header.ts";
import { jsonExtraction } from "./json.ts";
import { regexExtraction } from "./regex.ts";

export const SHARED_EXTRACTIONS: Readonly<Record<string, ExtractKind<any>>> = {
  json: jsonExtraction,
  regex: regexExtraction,
  header: headerExtraction,
  cookie: cookieExtraction,
};
