// GraphQL as a protocol module (one entry of src/protocols/registry.ts): the `graphql:` step and
// its metrics. Its requests ride on the VU's HTTP session (step/graphql-step.ts), so its own
// handler opens a session that holds nothing: the registry requires one per protocol, and a
// step of this module never asks for it.
import type { ProtocolModule } from "../../plugin-api/types.ts";
import { GRAPHQL_METRICS } from "./metrics.ts";
import { graphqlStep } from "./step/graphql-step.ts";

export const graphqlModule: ProtocolModule = {
  name: "graphql",
  steps: { graphql: graphqlStep },
  metrics: GRAPHQL_METRICS,
  handler: { protocol: "graphql", openSession: () => ({ close() {} }) },
};
