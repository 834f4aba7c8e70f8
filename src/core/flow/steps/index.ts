// The protocol-independent step kinds, one file each: an explicit map (no side-effect
// registration), gathered into the modules by src/builtins.ts. A new control step is a new file
// here plus one line below.
import type { StepKind } from "../../../plugin-api/types.ts";
import { groupStep } from "./group.ts";
import { ifStep } from "./if.ts";
import { jsStep } from "./js.ts";
import { loopStep } from "./loop.ts";
import { setStep } from "./set.ts";
import { sleepStep } from "./sleep.ts";

export const CONTROL_STEPS: Readonly<Record<string, StepKind<any>>> = {
  sleep: sleepStep,
  group: groupStep,
  loop: loopStep,
  if: ifStep,
  set: setStep,
  js: jsStep,
};
