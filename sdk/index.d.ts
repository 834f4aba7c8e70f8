// The types of `loadr:sdk`, the module every loadr plugin imports (docs/plugins.md). Types only:
// loadr registers the module itself in every thread that loads plugins. They are the repository's
// own (src/plugin-api/sdk.ts), re-exported, so they cannot drift from what loadr checks.
//
// In a plugin project, map the specifier to this folder in tsconfig.json:
//   "compilerOptions": { "paths": { "loadr:sdk": ["<path to loadr>/sdk/index.d.ts"] } }
export * from "../src/plugin-api/sdk.ts";
