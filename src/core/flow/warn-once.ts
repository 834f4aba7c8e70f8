// Deduplicated warnings: a VU loop that hits the same problem every iteration must say so once,
// not flood the log. Shared by every VU of a factory (one thread; no locking needed).

/** Warnings remembered before further distinct messages are dropped (bounds memory). */
const MAX_DISTINCT_MESSAGES = 1000;

export type Warn = (message: string) => void;

/** Wraps `warn` so each distinct message is passed on once; after the cap, once more to say so. */
export function createWarnOnce(warn: Warn, limit = MAX_DISTINCT_MESSAGES): Warn {
  const seen = new Set<string>();
  let capped = false;
  return (message) => {
    if (seen.has(message)) return;
    if (seen.size >= limit) {
      if (!capped) {
        capped = true;
        warn(`more than ${limit} distinct warnings; further ones are not shown`);
      }
      return;
    }
    seen.add(message);
    warn(message);
  };
}
