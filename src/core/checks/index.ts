// The check kinds every request-like step accepts, whatever its protocol, one file each: an
// explicit map (no side-effect registration), gathered into the modules by src/builtins.ts. A new
// shared kind is a new file here plus one line below; a protocol's own kinds go in its module's
// `checks` (src/plugin-api/types.ts `ProtocolModule`). The order is the order "did you mean" lists.
import type { CheckKind } from "../../plugin-api/types.ts";
import { bodyCheck } from "./body.ts";
import { durationCheck } from "./duration.ts";
import { headerCheck } from "./header.ts";
import { jsonCheck } from "./json.ts";
import { jsCheck } from "./js.ts";
import { statusCheck } from "./status.ts";

export const SHARED_CHECKS: Readonly<Record<string, CheckKind<any>>> = {
  status: statusCheck,
  header: headerCheck,
  body: bodyCheck,
  json: jsonCheck,
  duration: durationCheck,
  js: jsCheck,
};
