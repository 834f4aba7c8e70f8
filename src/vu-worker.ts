// Entry file of a VU worker thread. Sits beside main.ts so the compiled binary embeds it.
import { serveWorker } from "./core/vu-pool/worker-main.ts";

declare const self: Worker;
serveWorker(self);
