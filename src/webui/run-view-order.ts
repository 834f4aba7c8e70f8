// Which of two views of one run the page keeps. A run's end is final: once the page holds a view
// of an ended run, a view that says it is still going (a refetch or a control answer that left
// the server before the end, arriving after the end's event) is older and never replaces it.
// Without this, a stop's answer landing after the "finished" event put the page back to
// "stopping" with no summary, and a dashboard with --dashboard-exit is gone by then, so nothing
// would correct it. Pure and DOM-free.
import { FINAL_STATUSES } from "./browser/types.ts";

/** The view to keep when `arriving` comes in while the page holds `held`. */
export function laterView<V extends { status: string }>(held: V | null, arriving: V): V {
  if (held && FINAL_STATUSES.includes(held.status) && !FINAL_STATUSES.includes(arriving.status)) return held;
  return arriving;
}
