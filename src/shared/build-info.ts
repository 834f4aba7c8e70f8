// What a build of loadr is: stamped into the compiled binary by scripts/build.ts through
// `bun build --define` (the three constants below); a run from source (`bun src/main.ts`) reads
// "source" for commit and date. No file is read here (`loadr version` must start fast).
import { PROTOCOL_VERSION } from "../cluster/protocol.ts";
import { VERSION } from "./version.ts";

declare const LOADR_BUILD_COMMIT: string | undefined;
declare const LOADR_BUILD_DATE: string | undefined;
declare const LOADR_BUILD_TARGET: string | undefined;

export interface BuildInfo {
  version: string;
  /** The git commit the binary was built from, or "source" when run from the repository. */
  commit: string;
  /** ISO 8601 build time, or "source". */
  buildDate: string;
  /** The coordination protocol version agents and controllers must share (cluster/protocol.ts). */
  protocolVersion: number;
  /** The build target, e.g. "linux-x64" or "linux-x64-baseline"; the running platform from source. */
  target: string;
  bun: string;
}

export function buildInfo(): BuildInfo {
  return {
    version: VERSION,
    commit: typeof LOADR_BUILD_COMMIT === "string" ? LOADR_BUILD_COMMIT : "source",
    buildDate: typeof LOADR_BUILD_DATE === "string" ? LOADR_BUILD_DATE : "source",
    protocolVersion: PROTOCOL_VERSION,
    target: typeof LOADR_BUILD_TARGET === "string" ? LOADR_BUILD_TARGET : `${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`,
    bun: Bun.version,
  };
}
