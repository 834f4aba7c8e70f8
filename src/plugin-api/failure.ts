// A plugin's failure at run time (a WebAssembly trap, a native call that reports an error, a JS
// plugin's own throw it wants counted): it ends the VU's iteration like any error a step throws
// (core/flow/interpreter.ts), and the iteration is counted in `plugin_errors{plugin}` and named in
// the run's warnings ("plugin score: ..."). It is an ExpressionError so that a template function
// failing on constant arguments while the plan loads is a config error at the template.
import { ExpressionError } from "../config/expression/values.ts";
import { defineMetric } from "../metrics/builtin.ts";
import type { CountedFailure } from "../core/flow/interpreter.ts";

/** The counter of iterations a plugin failed, tagged with the plugin's name (and the iteration's tags). */
export const PLUGIN_ERRORS = defineMetric("plugin_errors", "counter");

export class PluginFailure extends ExpressionError implements CountedFailure {
  readonly countAs: CountedFailure["countAs"];

  /** `detail`: what went wrong, without the plugin's name (the message adds it). */
  constructor(
    readonly plugin: string,
    readonly detail: string,
    offset = 0,
  ) {
    super(`plugin ${plugin}: ${detail}`, offset);
    this.name = "PluginFailure";
    this.countAs = { metric: PLUGIN_ERRORS.name, tags: { plugin } };
  }
}
