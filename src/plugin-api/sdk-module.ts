// Makes `import ... from "loadr:sdk"` work in plugin files: registers the SDK (sdk.ts) as a
// virtual module of the current thread, before its first plugin is imported. Called by the
// plugin loader in every thread that loads plugins (the main thread, each VU worker); idempotent.
import { plugin } from "bun";
import * as sdk from "./sdk.ts";

export const SDK_SPECIFIER = "loadr:sdk";

let registered = false;

export function registerSdkModule(): void {
  if (registered) return;
  registered = true;
  plugin({
    name: "loadr plugin SDK",
    setup(build) {
      build.module(SDK_SPECIFIER, () => ({ exports: { ...sdk }, loader: "object" }));
    },
  });
}
