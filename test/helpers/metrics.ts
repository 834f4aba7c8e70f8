// The metric definitions of a plan that uses the built-in modules (core metrics and HTTP's), for
// tests that record samples straight into stores, aggregators and evaluators. A real run builds
// its registries from `TestPlan.metrics` instead.
import { BUILTINS } from "../../src/builtins.ts";
import { metricsOf } from "../../src/config/registered.ts";
import { MetricRegistry } from "../../src/metrics/registry.ts";

export function builtinRegistry(): MetricRegistry {
  return new MetricRegistry(metricsOf(BUILTINS));
}
