// The web UI's bundle, as string literals once built (src/ui-kit/bundle.ts `browserBundle` is a
// macro: see its contract). Import this module lazily (`await import`): from source, building the
// bundle costs a child process, which only a server that serves the UI should pay.
import { browserBundle } from "../ui-kit/bundle.ts" with { type: "macro" };

export const BUNDLE = browserBundle("webui/browser/main.ts");
