// How the report names a JMX element: JMeter's own GUI name for its class plus its `testname`
// ("HTTP Request 'login'"), and its position: the path of names from the Test Plan down and the
// line of its start tag — `Test Plan/Thread Group 'users'/HTTP Request 'login' (plan.jmx:42)`.
import { classOf } from "./props.ts";
import type { JmxElement } from "./xml.ts";

/** JMeter's GUI names by test class (without the package). */
const NAMES: Readonly<Record<string, string>> = {
  TestPlan: "Test Plan",
  ThreadGroup: "Thread Group",
  SetupThreadGroup: "setUp Thread Group",
  PostThreadGroup: "tearDown Thread Group",
  ConcurrencyThreadGroup: "Concurrency Thread Group",
  ArrivalsThreadGroup: "Arrivals Thread Group",
  FreeFormArrivalsThreadGroup: "Free-Form Arrivals Thread Group",
  UltimateThreadGroup: "Ultimate Thread Group",
  SteppingThreadGroup: "Stepping Thread Group",
  HTTPSamplerProxy: "HTTP Request",
  HTTPSampler: "HTTP Request",
  HTTPSampler2: "HTTP Request",
  HeaderManager: "HTTP Header Manager",
  CookieManager: "HTTP Cookie Manager",
  CacheManager: "HTTP Cache Manager",
  AuthManager: "HTTP Authorization Manager",
  DNSCacheManager: "DNS Cache Manager",
  CSVDataSet: "CSV Data Set Config",
  Arguments: "User Defined Variables",
  CounterConfig: "Counter",
  RandomVariableConfig: "Random Variable",
  ResponseAssertion: "Response Assertion",
  JSONPathAssertion: "JSON Assertion",
  DurationAssertion: "Duration Assertion",
  SizeAssertion: "Size Assertion",
  XPathAssertion: "XPath Assertion",
  RegexExtractor: "Regular Expression Extractor",
  JSONPostProcessor: "JSON Extractor",
  JSONPathExtractor: "JSON Path Extractor",
  BoundaryExtractor: "Boundary Extractor",
  XPathExtractor: "XPath Extractor",
  HtmlExtractor: "CSS Selector Extractor",
  ConstantTimer: "Constant Timer",
  UniformRandomTimer: "Uniform Random Timer",
  GaussianRandomTimer: "Gaussian Random Timer",
  PoissonRandomTimer: "Poisson Random Timer",
  ConstantThroughputTimer: "Constant Throughput Timer",
  SyncTimer: "Synchronizing Timer",
  IfController: "If Controller",
  LoopController: "Loop Controller",
  WhileController: "While Controller",
  TransactionController: "Transaction Controller",
  OnceOnlyController: "Once Only Controller",
  GenericController: "Simple Controller",
  RecordingController: "Recording Controller",
  ThroughputController: "Throughput Controller",
  RandomController: "Random Controller",
  RandomOrderController: "Random Order Controller",
  InterleaveControl: "Interleave Controller",
  RunTime: "Runtime Controller",
  SwitchController: "Switch Controller",
  ForeachController: "ForEach Controller",
  ModuleController: "Module Controller",
  IncludeController: "Include Controller",
  CriticalSectionController: "Critical Section Controller",
  JSR223Sampler: "JSR223 Sampler",
  JSR223PreProcessor: "JSR223 PreProcessor",
  JSR223PostProcessor: "JSR223 PostProcessor",
  JSR223Assertion: "JSR223 Assertion",
  JSR223Timer: "JSR223 Timer",
  JSR223Listener: "JSR223 Listener",
  BeanShellSampler: "BeanShell Sampler",
  BeanShellPreProcessor: "BeanShell PreProcessor",
  BeanShellPostProcessor: "BeanShell PostProcessor",
  BeanShellAssertion: "BeanShell Assertion",
  BeanShellTimer: "BeanShell Timer",
  BeanShellListener: "BeanShell Listener",
  DebugSampler: "Debug Sampler",
  DebugPostProcessor: "Debug PostProcessor",
  TestAction: "Flow Control Action",
  ResultCollector: "Listener",
  BackendListener: "Backend Listener",
  Summariser: "Generate Summary Results",
};

/** Listener GUI classes → their names (all are ResultCollector). */
const LISTENERS: Readonly<Record<string, string>> = {
  ViewResultsFullVisualizer: "View Results Tree",
  SummaryReport: "Summary Report",
  StatVisualizer: "Aggregate Report",
  TableVisualizer: "View Results in Table",
  GraphVisualizer: "Graph Results",
  StatGraphVisualizer: "Aggregate Graph",
  RespTimeGraphVisualizer: "Response Time Graph",
  SimpleDataWriter: "Simple Data Writer",
  AssertionVisualizer: "Assertion Results",
};

/** The class name without its package: `kg.apc.jmeter.threads.UltimateThreadGroup` → `UltimateThreadGroup`. */
export function shortClass(el: JmxElement): string {
  const cls = classOf(el);
  return cls.slice(cls.lastIndexOf(".") + 1);
}

/** JMeter's GUI name for the element's kind. */
export function kindName(el: JmxElement): string {
  const cls = shortClass(el);
  if (cls === "ConfigTestElement" && (el.attrs.guiclass ?? "").endsWith("HttpDefaultsGui")) return "HTTP Request Defaults";
  if (cls === "ResultCollector") {
    const gui = el.attrs.guiclass ?? "";
    return LISTENERS[gui.slice(gui.lastIndexOf(".") + 1)] ?? "Listener";
  }
  return NAMES[cls] ?? cls;
}

/** "HTTP Request 'login'", or the kind alone when the element carries its default name. */
export function label(el: JmxElement): string {
  const kind = kindName(el);
  const name = el.attrs.testname ?? "";
  return name === "" || name === kind ? kind : `${kind} '${name}'`;
}

/** A position in the report: the path of labels and the start tag's line. */
export function positionOf(path: readonly string[], el: JmxElement, fileName: string): string {
  return `${path.join("/")} (${fileName}:${el.line})`;
}
