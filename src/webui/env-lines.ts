// The submit page's environment box: NAME=VALUE a line, for a plan's ${env.NAME}. Pure and
// DOM-free.

/** NAME=VALUE lines; blank lines and # comments skipped. */
export function envOf(text: string): Record<string, string> | { error: string } {
  const env: Record<string, string> = {};
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) return { error: `environment line ${i + 1} "${line}" is not NAME=VALUE` };
    env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return env;
}
