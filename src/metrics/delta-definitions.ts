// The metric definitions a delta carries (MetricDelta.definitions), checked before anything of
// the delta is merged: a receiver (the aggregator, a DeltaAccumulator) calls these while it
// validates a whole delta, so a delta that contradicts what is known is rejected whole, never
// half-merged. Pure.
import { isMetricName } from "./registry.ts";
import type { MetricContains, MetricDefinition, MetricShape, MetricType } from "./types.ts";

const TYPES: readonly MetricType[] = ["counter", "rate", "gauge", "trend"];
const CONTAINS: readonly MetricContains[] = ["default", "time", "data"];

/**
 * A delta that cannot be merged: it names a metric with a type or unit that contradicts the one
 * already known, puts a metric in the wrong section, or carries a malformed definition. The
 * receiver merged nothing of it; callers count these and tell the user once.
 */
export class RejectedDeltaError extends Error {
  constructor(readonly metric: string, reason: string) {
    super(`a metrics delta was rejected (nothing of it was merged): ${reason}`);
    this.name = "RejectedDeltaError";
  }
}

/** The definition a delta carries for `name`, checked for shape (deltas arrive as JSON); throws RejectedDeltaError. */
export function carriedDefinition(name: string, raw: unknown): MetricDefinition {
  const shape = raw as Partial<MetricShape> | null;
  if (!isMetricName(name) || typeof shape !== "object" || shape === null || !TYPES.includes(shape.type!) || !CONTAINS.includes(shape.contains!)) {
    throw new RejectedDeltaError(name, `its definition of "${name}" is not a valid metric definition: ${JSON.stringify(raw)}`);
  }
  return { name, type: shape.type!, contains: shape.contains! };
}

/** Throws RejectedDeltaError when `carried` contradicts `known` (type or unit). */
export function checkAgainst(known: MetricShape & { name: string }, carried: MetricShape): void {
  if (known.type !== carried.type || known.contains !== carried.contains) {
    throw new RejectedDeltaError(
      known.name,
      `it defines "${known.name}" as a ${describe(carried)}, but it is known as a ${describe(known)}`,
    );
  }
}

/** Throws RejectedDeltaError when a series of `def` arrives in the delta section of another type. */
export function checkSection(def: MetricDefinition, sectionType: MetricType): void {
  if (def.type !== sectionType) {
    throw new RejectedDeltaError(def.name, `it carries "${def.name}" as a ${sectionType}, but it is registered as a ${def.type}`);
  }
}

function describe(shape: MetricShape): string {
  return shape.contains === "default" ? shape.type : `${shape.type} of ${shape.contains}`;
}
