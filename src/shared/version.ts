// Kept in step with package.json by hand; `loadr version` must not read files (startup time).
export const VERSION = "0.1.0";
