import type { VisitRules } from "./rules.ts";
import type { DeviceVisitState } from "./types.ts";

/**
 * Seconds an outbox saved with the visit state waits before the sweeper hands it on. The batch
 * that saved it normally hands it on within milliseconds; the grace keeps the sweeper from doing
 * that work twice (which would be harmless: the decision step is idempotent per event).
 */
export const OUTBOX_GRACE_S = 10;

/**
 * When a device's visit item next needs the sweeper (epoch ms), or undefined when it never does.
 * - an outbox not yet handed on: `savedAtMs + OUTBOX_GRACE_S` (a crash after the save strands it);
 * - open visits: the earliest time one of them times out (`lastInsideAt + exitTimeoutS`), so a
 *   device that goes silent inside a zone still exits;
 * - otherwise nothing is due and the item stays out of the sparse `due` index.
 */
export function nextDueAt(
  state: DeviceVisitState,
  pendingEvents: number,
  savedAtMs: number,
  rules: Pick<VisitRules, "exitTimeoutS">,
): number | undefined {
  if (pendingEvents > 0) return savedAtMs + OUTBOX_GRACE_S * 1000;
  if (state.zones.length === 0) return undefined;
  const lastInside = Math.min(...state.zones.map((z) => z.lastInsideAt));
  return lastInside + rules.exitTimeoutS * 1000;
}
