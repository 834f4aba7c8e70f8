// Request counting for the demo target's `/_stats`: every request is counted on arrival
// (404s included) except `/_stats` and `/_stats/reset` themselves. Single-threaded (Bun.serve).

/** Distinct paths tracked by name; the rest are summed under OTHER_PATHS. */
const MAX_PATHS = 1000;
export const OTHER_PATHS = "(other)";

export class RequestStats {
  private total = 0;
  private byPath = new Map<string, number>();

  count(path: string): void {
    this.total++;
    const known = this.byPath.get(path);
    if (known !== undefined) this.byPath.set(path, known + 1);
    else if (this.byPath.size < MAX_PATHS) this.byPath.set(path, 1);
    else this.byPath.set(OTHER_PATHS, (this.byPath.get(OTHER_PATHS) ?? 0) + 1);
  }

  reset(): void {
    this.total = 0;
    this.byPath.clear();
  }

  snapshot(): { total: number; byPath: Record<string, number> } {
    return { total: this.total, byPath: Object.fromEntries(this.byPath) };
  }
}
