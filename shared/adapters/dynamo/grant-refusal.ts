/**
 * What a refused grant means, from the role of the action whose condition failed: an erased or
 * no-longer-consenting device, an event already decided (with the incentive it got), or a cap,
 * the cooldown or a taken code. The budget is handled by the commit itself (another slice is
 * tried first).
 */
import type { GrantOutcome, GrantPlan } from "../../use-cases/ports/decision-store.ts";
import type { GrantRole } from "./grant-items.ts";
import type { CancellationReason } from "./transact.ts";

/**
 * The outcome of a grant whose action `index` (playing `role`) failed its condition, or
 * undefined when that role refuses nothing by itself (the caller rethrows the error).
 * `readClaim` reads the idempotency claim that was already there (consistent read).
 */
export async function grantRefusal(
  plan: GrantPlan,
  role: GrantRole | undefined,
  index: number,
  reason: CancellationReason | undefined,
  readClaim: (eventKey: string) => Promise<Record<string, unknown> | undefined>,
): Promise<GrantOutcome | undefined> {
  switch (role) {
    case "profile": {
      const profile = reason?.Item;
      return !profile || profile.erasingAt !== undefined
        ? { kind: "erased" }
        : { kind: "rejected", reason: "no_consent" };
    }
    case "claim": {
      // Claims follow the profile check, one per event key, in order.
      const key = plan.eventKeys[index - 1];
      const claim = key ? await readClaim(key) : undefined;
      return { kind: "duplicate", incentiveId: claim?.incentiveId as string | undefined };
    }
    case "offerTotal": {
      const cap = plan.choice?.caps.perDeviceTotal;
      const total = Number((reason?.Item?.total as number | undefined) ?? 0);
      return {
        kind: "rejected",
        reason: cap !== undefined && total >= cap ? "cap_total" : "cooldown",
      };
    }
    case "offerDay":
      return { kind: "rejected", reason: "cap_day" };
    case "fatigue":
      return { kind: "rejected", reason: "fatigue" };
    case "code":
      return { kind: "rejected", reason: "code_taken" };
    default:
      return undefined;
  }
}
