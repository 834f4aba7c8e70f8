// Runs Debian's JMeter 2.13 (packages `jmeter` and `jmeter-http`, with a Java runtime) in
// non-GUI mode on a .jmx, for the tests that compare JMeter's traffic with loadr's.
//
// Debian's JMeter 2.13 cannot load any plan as packaged (XStream 1.4.20 forbids its classes; see
// test/fixtures/convert/jmx/jmeter-xstream/SecurityMapper.java): this helper compiles that
// stand-in once per process with the JDK compiler module the Java runtime carries
// (`java -m jdk.compiler/com.sun.tools.javac.Main`, no separate JDK needed) and runs JMeter's
// own launcher with it first on the classpath. A missing package fails with what to install.
// JMeter's shutdown listener is turned off (`jmeterengine.nongui.port=0`), so parallel runs do
// not fight over port 4445; its log and results go to the given directory.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const JMETER_HOME = "/usr/share/jmeter";
const JMETER_JAR = `${JMETER_HOME}/bin/ApacheJMeter.jar`;
const HTTP_JAR = `${JMETER_HOME}/lib/ext/ApacheJMeter_http.jar`;
const XSTREAM_JAR = "/usr/share/java/xstream.jar";
const SHADOW_SOURCE = join(import.meta.dir, "../fixtures/convert/jmx/jmeter-xstream/SecurityMapper.java");

/** JMeter starts in a few seconds; a plan of these tests runs in a few more. Generous for a loaded machine. */
export const JMETER_TIMEOUT_MS = 180_000;

let shadowDir: string | undefined;

export interface JMeterRun {
  code: number;
  output: string;
  /** The results file (CSV, JMeter's default format). */
  jtl: string;
}

/** What is missing to run JMeter here, or undefined when it can run. */
export function jmeterProblem(): string | undefined {
  const missing = [JMETER_JAR, HTTP_JAR, XSTREAM_JAR].filter((f) => !existsSync(f));
  if (missing.length > 0) return `Debian's JMeter is needed (missing ${missing.join(", ")}): apt-get install jmeter jmeter-http`;
  if (!Bun.which("java")) return "a Java runtime is needed to run JMeter: apt-get install default-jre-headless";
  return undefined;
}

async function run(cmd: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  const child = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    return { code, output: out + err };
  } finally {
    clearTimeout(timer);
  }
}

async function shadowClasses(): Promise<string> {
  if (shadowDir) return shadowDir;
  const dir = mkdtempSync(join(tmpdir(), "loadr-jmeter-xstream-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const compiled = await run(["java", "-m", "jdk.compiler/com.sun.tools.javac.Main", "-nowarn", "-cp", XSTREAM_JAR, "-d", dir, SHADOW_SOURCE], JMETER_TIMEOUT_MS);
  if (compiled.code !== 0) throw new Error(`compiling the XStream stand-in for JMeter failed (the Java runtime needs its jdk.compiler module):\n${compiled.output}`);
  shadowDir = dir;
  return dir;
}

/** Runs `jmx` with JMeter properties `props` (-Jname=value); results and log go under `workDir`. */
export async function runJMeter(jmx: string, props: Record<string, string>, workDir: string): Promise<JMeterRun> {
  const problem = jmeterProblem();
  if (problem) throw new Error(problem);
  const classes = await shadowClasses();
  const jtl = join(workDir, "results.jtl");
  const cmd = [
    "java",
    "-cp",
    [classes, XSTREAM_JAR, JMETER_JAR].join(":"),
    `-Djmeter.home=${JMETER_HOME}`,
    "org.apache.jmeter.NewDriver",
    "-n",
    "-t",
    jmx,
    "-l",
    jtl,
    "-j",
    join(workDir, "jmeter.log"),
    "-Jjmeterengine.nongui.port=0",
    ...Object.entries(props).map(([k, v]) => `-J${k}=${v}`),
  ];
  const result = await run(cmd, JMETER_TIMEOUT_MS);
  return { ...result, jtl: existsSync(jtl) ? await Bun.file(jtl).text() : "" };
}
