import * as z from "zod";

export const INCENTIVE_MESSAGE_VERSION = "1.0";

/**
 * Lifecycle: `pending` (granted, in the outbox) → `sent` | `failed` | `withheld` (erased, consent
 * withdrawn or code expired before sending); holdouts are never sent.
 */
export type IncentiveStatus =
  | "pending"
  | "sent"
  | "failed"
  | "withheld"
  | "held_out"
  /** A claim's code, handed over in the claim response (never published or pushed). */
  | "claimed";

/** An incentive or a holdout decision, as stored. */
export interface Incentive {
  incentiveId: string;
  merchantId: string;
  offerId: string;
  storeId: string;
  /** Raw device id; removed on erasure (the conversion log only keeps pseudonyms). */
  deviceId?: string | undefined;
  outcome: "sent" | "held_out";
  status: IncentiveStatus;
  /** Redemption code (absent for holdouts). */
  code?: string | undefined;
  codeKind?: "unique" | "static" | undefined;
  title: string;
  body: string;
  deepLink?: string | undefined;
  /**
   * The geofence event, `pickup_arrived` for a cross-sell on a pickup order's arrival (zoneId is
   * then `pickup.{pickupId}.{offerId}`), or `claim` for a claim of a link (zoneId: the link id).
   */
  triggerType: "entered" | "dwelled" | "pickup_arrived" | "claim";
  zoneId: string;
  /** Channel, creative variant and link of the touch (sends: channel `geofence`). */
  touch?: IncentiveTouch | undefined;
  grantedAt: number;
  expiresAtMs?: number | undefined;
  attributionWindowHours: number;
  /** Delivery bookkeeping. */
  attempts?: number;
  lastError?: string;
  sentAt?: number;
  pushEndpointArn?: string | undefined;
}

/** Where an incentive came from, for reports by channel and variant. */
export interface IncentiveTouch {
  kind: "geofence" | "claim" | "web_claim";
  channel: string;
  variant: string;
  linkId?: string | undefined;
}

/**
 * The versioned message published to the incentive topic. Subscribers filter on the message
 * attributes (merchantId, offerId, storeId, eventType) and dedupe on `incentiveId`.
 */
export const incentiveMessageSchema = z
  .strictObject({
    schemaVersion: z.literal(INCENTIVE_MESSAGE_VERSION),
    eventType: z.literal("incentive.sent"),
    incentiveId: z.string().min(1).describe("Unique per incentive; consumers dedupe on it."),
    merchantId: z.string().min(1),
    offerId: z.string().min(1),
    storeId: z.string().min(1),
    /** Pseudonymous device id (keyed HMAC scoped to the merchant). */
    deviceRef: z.string().min(1),
    trigger: z
      .enum(["entered", "dwelled", "pickup_arrived", "claim"])
      .describe(
        "What fired it: a trigger-zone entry or dwell, a pickup order's arrival at the store " +
          "(an in-store cross-sell, touch channel `pickup`), or a claim link",
      ),
    touch: z
      .strictObject({
        channel: z.string().min(1).describe('"geofence" for sends, else the claim link\'s channel'),
        variant: z.string().min(1).describe("Creative or message variant"),
        linkId: z.string().min(1).optional(),
      })
      .optional()
      .describe("Channel and variant of the incentive (absent from producers before variants)"),
    grantedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().optional(),
    redemption: z.strictObject({
      code: z.string().min(1),
      kind: z.enum(["unique", "static"]),
    }),
    message: z.strictObject({
      title: z.string().min(1),
      body: z.string().min(1),
      deepLink: z.string().optional(),
    }),
  })
  .describe("Footfall incentive.sent message, version 1.0");
export type IncentiveMessage = z.infer<typeof incentiveMessageSchema>;

/** Incentives table keys. Codes are unique per merchant, found through gsi1. */
export const incentiveKeys = {
  incentive: (incentiveId: string) => ({ pk: `INCENTIVE#${incentiveId}`, sk: "INCENTIVE" }),
  code: (merchantId: string, code: string) => ({
    gsi1pk: `CODE#${merchantId}#${code}`,
    gsi1sk: "CODE",
  }),
  codeClaim: (merchantId: string, code: string) => ({
    pk: `CODE#${merchantId}#${code}`,
    sk: "CODE",
  }),
  /** The offer's budget counter before slicing; read (never written) as the pre-sliced count. */
  budget: (offerId: string) => ({ pk: `OFFER#${offerId}`, sk: "BUDGET" }),
  /** Budget slice `k` (see domain/budget-slices.ts): one partition key per slice. */
  budgetSlice: (offerId: string, k: number) => ({
    pk: `OFFER#${offerId}#BUDGET#${k}`,
    sk: "BUDGET",
  }),
};

/** Device-partition keys for caps and idempotency (erased with the device). */
export const deviceCounterKeys = {
  claim: (deviceId: string, eventKey: string) => ({
    pk: `DEVICE#${deviceId}`,
    sk: `CLAIM#${eventKey}`,
  }),
  offerTotal: (deviceId: string, offerId: string) => ({
    pk: `DEVICE#${deviceId}`,
    sk: `CNT#OFFER#${offerId}`,
  }),
  offerDay: (deviceId: string, offerId: string, day: string) => ({
    pk: `DEVICE#${deviceId}`,
    sk: `CNT#OFFER#${offerId}#DAY#${day}`,
  }),
  fatigueDay: (deviceId: string, day: string) => ({
    pk: `DEVICE#${deviceId}`,
    sk: `CNT#FATIGUE#${day}`,
  }),
};

/**
 * Whose caps, cooldowns and fatigue a decision counts against, as the partition their counters
 * live in: `PERSON#<personRef>` when the app's backend asserted a user for the device (so every
 * install of that user shares one count), else the device's own partition. Person counters are
 * keyed by a pseudonym only and expire with their TTL; they are deliberately NOT erased with a
 * device (erase-and-re-register would otherwise reset the caps).
 */
export function capPartition(device: { deviceId: string; personRef?: string | undefined }): string {
  return device.personRef ? `PERSON#${device.personRef}` : `DEVICE#${device.deviceId}`;
}

/** Cap counter keys inside a `capPartition`. Same sort keys as `deviceCounterKeys`. */
export const capCounterKeys = {
  offerTotal: (partition: string, offerId: string) => ({
    pk: partition,
    sk: `CNT#OFFER#${offerId}`,
  }),
  offerDay: (partition: string, offerId: string, day: string) => ({
    pk: partition,
    sk: `CNT#OFFER#${offerId}#DAY#${day}`,
  }),
  fatigueDay: (partition: string, day: string) => ({ pk: partition, sk: `CNT#FATIGUE#${day}` }),
};

/** The unit a holdout is drawn for: the person when asserted (same group on every install). */
export function holdoutUnit(device: { deviceId: string; personRef?: string | undefined }): string {
  return device.personRef ? `person:${device.personRef}` : device.deviceId;
}

/** Identity of a trigger event for idempotency: a retried batch re-derives the same key. */
export function triggerEventKey(e: { zoneId: string; enteredAt: number; type: string }): string {
  return `${e.zoneId}#${e.enteredAt}#${e.type}`;
}
