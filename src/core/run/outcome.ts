// How a run ended, and the one mapping from that to a process exit code (k6's codes, in
// src/shared/exit-codes.ts). Every host maps through here: the local CLI run, a run through a
// controller, the controller's own run API. Pure.
import {
  EXIT_EXTERNAL_ABORT,
  EXIT_FAILURE,
  EXIT_INVALID_CONFIG,
  EXIT_OK,
  EXIT_THRESHOLDS_FAILED,
  type ExitCode,
} from "../../shared/exit-codes.ts";

export type RunOutcomeKind =
  /** Ran to the plan's end; every threshold passed. */
  | "finished"
  /** Ran to the end (or was stopped by its own thresholds' abortOnFail) with a failed threshold. */
  | "thresholds-failed"
  /** An abortOnFail threshold stopped the run early. */
  | "aborted-by-threshold"
  /** Stopped from outside before the plan's end: Ctrl-C, SIGTERM, a stop or kill control. */
  | "interrupted"
  /** The run broke (a worker crashed, every agent was lost, the controller gave up). */
  | "failed"
  /** The plan or a flag was invalid; nothing ran. */
  | "invalid-config";

export interface RunOutcome {
  readonly kind: RunOutcomeKind;
  /** Why, in words a user can act on (the failure, the threshold, who stopped it). */
  readonly reason?: string;
}

/** What the host knows at the end; `decideOutcome` applies the precedence once for everyone. */
export interface OutcomeFacts {
  /** Set when the run broke: its reason. */
  failed?: string;
  /** Set when someone stopped the run from outside: who or how ("Ctrl-C", "a stop control"). */
  interrupted?: string;
  /** Set when an abortOnFail threshold stopped it: the threshold, e.g. "http_req_duration: p(95)<500". */
  abortedByThreshold?: string;
  /** False when any threshold failed at the final evaluation. */
  thresholdsOk: boolean;
}

/**
 * Precedence, most severe first: failed > interrupted > aborted by threshold > thresholds failed
 * > finished. An interrupted run exits 105 even when a threshold failed, as k6 does.
 */
export function decideOutcome(facts: OutcomeFacts): RunOutcome {
  if (facts.failed !== undefined) return { kind: "failed", reason: facts.failed };
  if (facts.interrupted !== undefined) return { kind: "interrupted", reason: facts.interrupted };
  if (facts.abortedByThreshold !== undefined) return { kind: "aborted-by-threshold", reason: facts.abortedByThreshold };
  if (!facts.thresholdsOk) return { kind: "thresholds-failed" };
  return { kind: "finished" };
}

/** The exit code of an outcome: 0, 99, 105, 1 or 104. */
export function exitCodeOf(outcome: RunOutcome | RunOutcomeKind): ExitCode {
  const kind = typeof outcome === "string" ? outcome : outcome.kind;
  switch (kind) {
    case "finished":
      return EXIT_OK;
    case "thresholds-failed":
    case "aborted-by-threshold":
      return EXIT_THRESHOLDS_FAILED;
    case "interrupted":
      return EXIT_EXTERNAL_ABORT;
    case "failed":
      return EXIT_FAILURE;
    case "invalid-config":
      return EXIT_INVALID_CONFIG;
  }
}
