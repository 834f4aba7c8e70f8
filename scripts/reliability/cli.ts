// The shared entry of the reliability scripts (scripts/chaos.ts, scripts/soak.ts): parse the
// arguments (a bad one prints the message and the usage, exit code 2; --help the usage, 0), then
// run; the exit code is what the run returns (set as process.exitCode, so output still flushes).
export async function runScript<O>(name: string, usage: string, parse: (argv: string[]) => O | "help", run: (options: O) => Promise<number>): Promise<void> {
  let options: O | "help";
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${name}: ${(error as Error).message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (options === "help") {
    process.stdout.write(usage);
    process.exitCode = 0;
    return;
  }
  process.exitCode = await run(options);
}
