// The executor registry: an explicit map from executor names (k6's) to their modules (no
// side-effect registration, so a bundle keeps every module). A new executor is a new file in this
// folder plus one line here. Config and core never import this map: the composition root
// (src/builtins.ts) passes it on.
import type { ExecutorModule } from "../plugin-api/types.ts";
import { constantVus } from "./constant-vus.ts";
import { perVuIterations } from "./per-vu-iterations.ts";
import { sharedIterations } from "./shared-iterations.ts";
import { rampingVus } from "./ramping-vus.ts";
import { constantArrivalRate } from "./constant-arrival-rate.ts";
import { rampingArrivalRate } from "./ramping-arrival-rate.ts";
import { externallyControlled } from "./externally-controlled.ts";

export const EXECUTORS: Readonly<Record<string, ExecutorModule<any, any>>> = {
  [constantVus.type]: constantVus,
  [perVuIterations.type]: perVuIterations,
  [sharedIterations.type]: sharedIterations,
  [rampingVus.type]: rampingVus,
  [constantArrivalRate.type]: constantArrivalRate,
  [rampingArrivalRate.type]: rampingArrivalRate,
  [externallyControlled.type]: externallyControlled,
};
