// Resolves a worker entry file that sits beside src/main.ts. In the compiled binary every
// module shares the bundle's URL (file:///$bunfs/root/<name>), and workers embedded as extra
// entrypoints live beside it; from source this file is in src/. Either way "./<file>" is right.
export function workerUrl(file: "vu-worker.ts"): URL {
  return new URL(`./${file}`, import.meta.url);
}
