// Entry file of a VU worker thread. Sits beside main.ts so the compiled binary embeds it. The
// composition root of the thread: it hands the built-in modules to the thread's body.
import { BUILTINS } from "./builtins.ts";
import { serveWorker } from "./core/worker-thread/worker-main.ts";
import { HOOKS_ENGINE } from "./hooks/worker-script.ts";

declare const self: Worker;
serveWorker(self, BUILTINS, HOOKS_ENGINE);
