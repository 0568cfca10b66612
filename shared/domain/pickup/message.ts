/**
 * The pickup message published on the incentive topic at every state change of a pickup order,
 * for store tablets, kitchen displays and the merchant's systems. Subscribers filter on the
 * message attributes `eventType` (prefix `pickup.`), `merchantId` and `storeId`.
 * Published at least once: `(pickupId, eventType)` identifies a message (every event type
 * happens at most once per pickup), so a subscriber drops repeats by that pair.
 */
import * as z from "zod";
import {
  ARRIVAL_STAGES,
  PICKUP_EVENT_TYPES,
  PICKUP_MODES,
  PICKUP_STATES,
  type Pickup,
  type PickupEvent,
  type PickupState,
  TERMINAL_STATES,
} from "./pickup.ts";

/** The pickup's state right after the event at `at` (from the state timestamps). */
export function stateAt(pickup: Pick<Pickup, "times">, at: number): PickupState {
  for (const t of TERMINAL_STATES) {
    const when = pickup.times[t];
    if (when !== undefined && when <= at) return t;
  }
  let state: PickupState = "created";
  for (const stage of ARRIVAL_STAGES) {
    const when = pickup.times[stage];
    if (when !== undefined && when <= at) state = stage;
  }
  return state;
}

export const PICKUP_MESSAGE_VERSION = "1.0";

const isoInstant = z.iso.datetime({ offset: true });

/**
 * The customer's vehicle as pickups show it to the store (the pickup message and the API's
 * pickup view): what the customer gave, every member optional, free text.
 */
export const vehicleSchema = z.strictObject({
  description: z.string().optional(),
  color: z.string().optional(),
  licensePlate: z.string().optional(),
});

export const pickupMessageSchema = z
  .strictObject({
    schemaVersion: z.literal(PICKUP_MESSAGE_VERSION),
    eventType: z.enum(PICKUP_EVENT_TYPES.map((t) => `pickup.${t}` as const)),
    pickupId: z.string().min(1),
    merchantId: z.string().min(1),
    storeId: z.string().min(1),
    orderRef: z.string().min(1),
    mode: z.enum(PICKUP_MODES),
    /** The pickup's state right after this event. */
    state: z.enum(PICKUP_STATES),
    ready: z.boolean(),
    /** When the event happened. */
    at: isoInstant,
    cause: z.enum(["merchant", "device", "location", "staff", "timeout"]),
    promisedAt: isoInstant,
    estimatedArrivalAt: isoInstant.optional(),
    arrivalSource: z.enum(["location", "manual"]).optional(),
    customerName: z.string().optional(),
    vehicle: vehicleSchema.optional(),
  })
  .describe(`Footfall pickup message, version ${PICKUP_MESSAGE_VERSION}`);
export type PickupMessage = z.infer<typeof pickupMessageSchema>;

/** The topic message for one event of `pickup` (its state as of after the event). */
export function pickupMessage(pickup: Pickup, event: PickupEvent): PickupMessage {
  const eta = event.estimatedArrivalAt ?? pickup.estimatedArrivalAt;
  return {
    schemaVersion: PICKUP_MESSAGE_VERSION,
    eventType: `pickup.${event.type}`,
    pickupId: pickup.pickupId,
    merchantId: pickup.merchantId,
    storeId: pickup.storeId,
    orderRef: pickup.orderRef,
    mode: pickup.mode,
    state: stateAt(pickup, event.at),
    ready: pickup.times.ready !== undefined && pickup.times.ready <= event.at,
    at: new Date(event.at).toISOString(),
    cause: event.cause,
    promisedAt: new Date(pickup.promisedAt).toISOString(),
    ...(eta !== undefined && pickup.terminal === undefined
      ? { estimatedArrivalAt: new Date(eta).toISOString() }
      : {}),
    ...(pickup.arrivalSource && event.type === "arrived"
      ? { arrivalSource: pickup.arrivalSource }
      : {}),
    ...(pickup.customerName ? { customerName: pickup.customerName } : {}),
    ...(pickup.vehicle ? { vehicle: pickup.vehicle } : {}),
  };
}
