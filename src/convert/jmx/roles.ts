// The role of a test element in JMeter's tree — what the flow walk (flow.ts) does with it: a
// sampler or controller is a step where it stands; config elements, timers, pre/post-processors
// and assertions apply to the samplers in their scope; listeners are reported only. By class
// (without its package), and by JMeter's naming conventions for the classes of plugins.
import { ASSERTIONS } from "./assertions.ts";
import { EXTRACTORS } from "./extractors.ts";
import { shortClass } from "./labels.ts";
import { TIMERS } from "./timers.ts";
import type { JmxElement } from "./xml.ts";

export type Role = "config" | "timer" | "pre" | "post" | "assertion" | "listener" | "sampler" | "controller" | "group" | "other";

const CONFIG = new Set([
  "HeaderManager",
  "CookieManager",
  "ConfigTestElement",
  "CSVDataSet",
  "Arguments",
  "CounterConfig",
  "RandomVariableConfig",
  "CacheManager",
  "AuthManager",
  "DNSCacheManager",
  "KeystoreConfig",
  "LoginConfig",
  "SampleTimeout",
]);
const CONTROLLERS = new Set([
  "LoopController",
  "IfController",
  "WhileController",
  "TransactionController",
  "OnceOnlyController",
  "GenericController",
  "RecordingController",
  "ThroughputController",
  "RandomController",
  "RandomOrderController",
  "InterleaveControl",
  "RunTime",
  "SwitchController",
  "ForeachController",
  "ModuleController",
  "IncludeController",
  "CriticalSectionController",
]);

export function roleOf(el: JmxElement): Role {
  const cls = shortClass(el);
  if (CONFIG.has(cls)) return "config";
  if (TIMERS.has(cls) || cls.endsWith("Timer")) return "timer";
  if (cls.endsWith("PreProcessor") || cls === "UserParameters" || cls === "RegExUserParameters") return "pre";
  if (EXTRACTORS.has(cls) || cls.endsWith("PostProcessor") || cls.endsWith("Extractor")) return "post";
  if (ASSERTIONS.has(cls) || cls.endsWith("Assertion")) return "assertion";
  if (cls === "ResultCollector" || cls === "BackendListener" || cls === "Summariser" || cls.endsWith("Listener") || cls.endsWith("Visualizer")) return "listener";
  if (CONTROLLERS.has(cls) || cls.endsWith("Controller")) return "controller";
  if (cls.endsWith("ThreadGroup")) return "group";
  if (cls.endsWith("Sampler") || cls.startsWith("HTTPSampler") || cls === "TestAction" || cls.endsWith("SamplerProxy")) return "sampler";
  return "other";
}
