// Values of a repeatable flag (`--env A=1 --env B=2`, `-o x`, `--out=y`) from the raw arguments,
// since citty keeps only the last value of a repeated flag. Pure.

/** Every value given to the flag, in order; `names` are its spellings, e.g. ["--env", "-e"]. A flag without a value yields undefined. */
export function repeatedFlag(rawArgs: readonly string[], names: readonly string[]): Array<string | undefined> {
  const values: Array<string | undefined> = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (names.includes(arg)) {
      values.push(rawArgs[++i]);
      continue;
    }
    const long = names.find((n) => n.startsWith("--") && arg.startsWith(`${n}=`));
    if (long !== undefined) values.push(arg.slice(long.length + 1));
  }
  return values;
}
