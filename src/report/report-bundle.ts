// The report page's browser bundle, built by the ui-kit macro (src/ui-kit/bundle.ts): on first
// load from source, at build time in the binary. Import this module lazily.
import type { BrowserBundle } from "../ui-kit/bundle.ts";
import { browserBundle } from "../ui-kit/bundle.ts" with { type: "macro" };

export const REPORT_BUNDLE: BrowserBundle = browserBundle("report/browser/main.ts");
