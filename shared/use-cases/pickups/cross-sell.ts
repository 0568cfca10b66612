/**
 * The in-store cross-sell of a pickup order: when an order reaches `arrived` (or `waiting`, which
 * implies it), the merchant's offers that fire on pickup arrival are decided for the shopper's
 * device by the incentive step, through the same decision, grant, delivery and attribution as a
 * geofence send. Run by the pickup publisher from the pickup's outbox, so an arrival saved by the
 * ping path or by a manual "I'm here" is decided even if the process that saved it died.
 */
import type { PickupEvent, PickupEventType } from "../../domain/pickup/pickup.ts";
import type { Clock } from "../../ports.ts";
import type { PickupArrival, PickupArrivalSink } from "../incentives/incentive-sink.ts";
import { type ProfileReader, principalOf } from "../pings/sweep-visits.ts";
import { DeviceErased } from "../ports/visit-store.ts";

export interface CrossSellDeps {
  /** The device profiles, read fresh: consent, person and segments as they are now. */
  profiles: ProfileReader;
  sink: PickupArrivalSink;
  clock: Clock;
}

/** The arrival events of a pickup, in the order they may happen. */
const ARRIVAL_EVENTS: readonly PickupEventType[] = ["arrived", "waiting"];

/** The arrival among `events` (the first `arrived` or `waiting`), if any. */
export function arrivalOf(events: readonly PickupEvent[]): PickupEvent | undefined {
  return events.find((e) => ARRIVAL_EVENTS.includes(e.type));
}

/** What became of one arrival's cross-sell. */
export type CrossSellOutcome =
  /** Decided now or before (sent, held out, suppressed, or no pickup offer at the store). */
  | "decided"
  /** The device is erased or being erased: nothing is decided for it. */
  | "erased";

/**
 * Decides the cross-sell of one pickup arrival for `deviceId`, the device the order is (or was)
 * attached to. Idempotent per pickup order (the incentive step's claim), so the publisher may
 * call it again for a redelivered stream record or a re-processed outbox.
 */
export async function crossSellOnArrival(
  deps: CrossSellDeps,
  deviceId: string,
  arrival: PickupArrival,
): Promise<CrossSellOutcome> {
  const profile = await deps.profiles.get(deviceId);
  if (!profile || profile.erasingAt !== undefined) return "erased";
  try {
    await deps.sink.pickupArrived(principalOf(profile), arrival, deps.clock.now());
    return "decided";
  } catch (error) {
    if (error instanceof DeviceErased) return "erased";
    throw error;
  }
}
