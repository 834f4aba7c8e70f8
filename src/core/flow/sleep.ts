// Abortable sleep for `sleep` steps: resolves after `ms`, or at once when `signal` aborts
// (never rejects), so a hard stop ends a sleeping iteration immediately.

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (!(ms > 0) || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

/** A duration in [min, max]: `min` when they are equal, else uniform with `random()` in [0, 1). */
export function sleepDuration(min: number, max: number, random: () => number): number {
  return max > min ? min + random() * (max - min) : min;
}
