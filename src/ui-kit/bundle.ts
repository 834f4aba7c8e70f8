// Browser bundles for the pages loadr serves or writes (the HTML report, the controller's web
// UI), made with Bun's bundler from a TypeScript entry and carried inside the program as strings.
//
// Contract (binding for every caller):
// - `browserBundle` is a Bun *macro*. Import it with `with { type: "macro" }` and call it with
//   a string literal naming the browser entry relative to src/, in a module of its own:
//
//     import { browserBundle } from "../ui-kit/bundle.ts" with { type: "macro" };
//     export const REPORT_BUNDLE: BrowserBundle = browserBundle("report/browser/main.ts");
//
//   The call runs when Bun transpiles that module and is replaced by its result, a literal
//   `{ js, css }`. So:
//   (a) from source (`bun src/main.ts`, `npm start`, `bun test`) the bundle is built the first
//       time the module is loaded in a process (~30–100 ms; no build step, no file written into
//       the checkout); import such a module lazily, from the command that needs it;
//   (b) `bun build --compile` (scripts/build.ts) runs the macro once at build time and the
//       binary carries the finished strings: nothing is built, read or fetched at run time.
// - Without `with { type: "macro" }` the function would run at run time: that works from source
//   but not in the binary (it has no source files to bundle), so always import it as a macro.
// - `js` is one ES module (format esm, target browser, minified) with every dependency inlined
//   (uPlot, preact, …); `css` is every stylesheet the entry imports (the ui-kit theme, uPlot's),
//   concatenated. Neither refers to any URL: inline them in a page with src/ui-kit/html.ts.
// - Browser code lives in folders named `browser/` (src/ui-kit/browser/, src/report/browser/,
//   …): it is type-checked against the DOM by tsconfig.browser.json, never imported by the Bun
//   program (tsconfig.json excludes those folders), and may import DOM-free modules such as
//   src/ui-kit/format.ts.
// - A failed build throws, naming the entry and the bundler's messages; the module that called
//   the macro then fails to load (from source) or the binary fails to build.
//
// Why a macro: `Bun.build` must not run inside a macro (the bundler would wait on itself), so the
// macro runs the `bun build` CLI of the Bun that is transpiling — the same one from source and
// at compile time.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";

export interface BrowserBundle {
  js: string;
  css: string;
}

const SRC = resolve(import.meta.dir, "..");
/** Bundler time limit: uPlot + preact + a view build in well under a second. */
const BUILD_TIMEOUT_MS = 60_000;

/** Builds the browser entry `entry` (relative to src/). A macro: see the contract above. */
export function browserBundle(entry: string): BrowserBundle {
  const path = resolve(SRC, entry);
  if (!path.startsWith(SRC + sep) || !/\/browser\/[^/]+\.tsx?$/.test(path.split(sep).join("/"))) {
    throw new Error(`browserBundle("${entry}"): the entry must be a .ts/.tsx file in a browser/ folder under src/`);
  }
  const outdir = mkdtempSync(join(tmpdir(), "loadr-bundle-"));
  try {
    const result = Bun.spawnSync(
      [process.execPath, "build", path, "--target=browser", "--format=esm", "--minify", "--outdir", outdir],
      { stdout: "pipe", stderr: "pipe", timeout: BUILD_TIMEOUT_MS, env: { ...process.env, NO_COLOR: "1" } },
    );
    if (result.exitCode !== 0) {
      const log = `${result.stderr.toString()}\n${result.stdout.toString()}`.trim();
      throw new Error(`could not bundle the browser entry src/${entry}:\n${log || `bun build exited with ${result.exitCode}`}`);
    }
    const files = readdirSync(outdir).sort();
    const read = (suffix: string) =>
      files.filter((f) => f.endsWith(suffix)).map((f) => readFileSync(join(outdir, f), "utf8")).join("\n");
    const js = read(".js");
    if (js === "") throw new Error(`bundling src/${entry} produced no JavaScript (files: ${files.join(", ") || "none"})`);
    return { js, css: read(".css") };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
