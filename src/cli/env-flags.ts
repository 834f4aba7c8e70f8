// Flags that may also come from the environment, for services (systemd's EnvironmentFile,
// Kubernetes `env:`): `--tls-ca` reads LOADR_TLS_CA when the flag is absent. A flag on the
// command line always wins. The variable's name is the flag's, upper-cased, dashes as
// underscores, after `LOADR_`.

/** LOADR_ + the flag name in upper snake case: "tls-ca" → "LOADR_TLS_CA". */
export function envNameOf(flag: string): string {
  return `LOADR_${flag.toUpperCase().replace(/-/g, "_")}`;
}

/**
 * Fills every flag in `flags` that `args` lacks from its environment variable (an empty variable
 * counts as absent). Returns a new object; `args` is not changed.
 */
export function withEnvFlags<T extends Record<string, unknown>>(args: T, flags: readonly string[], env: Record<string, string | undefined>): T {
  const filled: Record<string, unknown> = { ...args };
  for (const flag of flags) {
    if (filled[flag] !== undefined && filled[flag] !== "") continue;
    const value = env[envNameOf(flag)];
    if (value !== undefined && value !== "") filled[flag] = value;
  }
  return filled as T;
}
