// Every property of the reliability suite by area, with the environment each area needs: the
// one list `npm run fuzz` (scripts/fuzz.ts) walks. The CI test files import their area's list.
import { startClusterUnderTest } from "./cluster-under-test.ts";
import { COORDINATION_PROPERTIES } from "./coordination-properties.ts";
import { EXPRESSION_PROPERTIES } from "./expression-properties.ts";
import type { FuzzProperty } from "./harness.ts";
import { HTTP_API_PROPERTIES } from "./http-api-properties.ts";
import { PLAN_LOADER_PROPERTIES } from "./plan-loader-properties.ts";

export interface FuzzArea {
  name: string;
  properties: FuzzProperty<never>[];
  /** Builds what the properties run against (`binary`: a compiled loadr instead of the source). */
  start(binary?: string): Promise<{ env: unknown; stop(): Promise<void> }>;
}

const nothing = async () => ({ env: undefined, stop: async () => {} });

export const FUZZ_AREAS: FuzzArea[] = [
  { name: "plan-loader", properties: PLAN_LOADER_PROPERTIES as FuzzProperty<never>[], start: nothing },
  { name: "expressions", properties: EXPRESSION_PROPERTIES as FuzzProperty<never>[], start: nothing },
  {
    name: "coordination",
    properties: COORDINATION_PROPERTIES as FuzzProperty<never>[],
    start: async (binary) => {
      const c = await startClusterUnderTest(binary ? { binary } : {});
      return { env: c, stop: () => c.stop() };
    },
  },
  {
    name: "http-api",
    properties: HTTP_API_PROPERTIES as FuzzProperty<never>[],
    start: async (binary) => {
      const c = await startClusterUnderTest({ agent: false, ...(binary ? { binary } : {}) });
      return { env: c, stop: () => c.stop() };
    },
  },
];
