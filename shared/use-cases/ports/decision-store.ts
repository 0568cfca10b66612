import type { ConversionRecord } from "../../domain/conversion.ts";
import type { OfferCounters } from "../../domain/decision/decide.ts";
import type { Incentive } from "../../domain/incentive.ts";
import type { TouchBump } from "../../domain/o2o/touch.ts";
import type { JourneyWrite, StoredJourney } from "./journey-store.ts";
import type { OutboxClear } from "./visit-store.ts";

/** Counter increments on the report counters of one offer × store × day (and the store view). */
export interface CounterBump {
  merchantId: string;
  offerId: string;
  storeId: string;
  localDay: string;
  fields: Record<string, number>;
}

/** An incentive (or holdout) to grant atomically with its caps, budget and log records. */
export interface GrantChoice {
  incentive: Incentive;
  offerDay: string;
  deviceDay: string;
  caps: {
    perDevicePerDay?: number | undefined;
    perDeviceTotal?: number | undefined;
    cooldownMinutes?: number | undefined;
  };
  maxIncentives?: number | undefined;
  /** Absent: the grant does not count against the daily fatigue cap (claims the person asked for). */
  fatigueCapPerDay?: number | undefined;
  /** All stores of the offer: a visit to any of them can be attributed. */
  storeIds: string[];
  /** The triggering store's time zone (the day an expiry is counted on). */
  storeTimeZone: string;
  deviceRef: string;
  /** Epoch seconds after which counters and claims may be forgotten. */
  counterExpiresAt: number;
  offerTotalExpiresAt: number;
}

export interface GrantPlan {
  deviceId: string;
  /** Partition of the cap counters (`capPartition`); default: the device's own. */
  capPartition?: string | undefined;
  /** Idempotency claims, one per trigger event the decision covers. */
  eventKeys: string[];
  /** Partition of the idempotency claims (default the device's): a person's for link claims. */
  claimPartition?: string | undefined;
  /** Touch counters (reports by channel and variant) moved in the same transaction. */
  touchCounters?: TouchBump[] | undefined;
  claimExpiresAt: number;
  now: number;
  choice?: GrantChoice | undefined;
  records: ConversionRecord[];
  counters: CounterBump[];
  recordExpiresAt: number;
  /**
   * The batch's outbox clear, committed in the same transaction (no request of its own). A
   * clear whose item moved (a later save) is dropped and the grant committed without it: the
   * later save carries the outbox on. `committed` therefore settles the outbox.
   */
  outboxClear?: OutboxClear | undefined;
}

export type GrantOutcome =
  | { kind: "committed" }
  /** The device was erased (or its erasure started): nothing was written. */
  | { kind: "erased" }
  | { kind: "duplicate"; incentiveId?: string | undefined }
  | {
      kind: "rejected";
      reason:
        | "cap_day"
        | "cap_total"
        | "cooldown"
        | "fatigue"
        | "budget"
        | "code_taken"
        | "no_consent";
    };

/** Attribution handle: one per incentive or holdout, in the device partition (erased with it). */
export interface AttributionItem {
  incentiveId: string;
  merchantId: string;
  offerId: string;
  storeIds: string[];
  outcome: "sent" | "held_out";
  grantedAt: number;
  windowEndsAt: number;
  attributedAt?: number;
  /** A later visit day within the window after the attributed visit (repeat visit), epoch ms. */
  repeatAt?: number;
  /** A visit in the 30 days after the window, following an attributed visit, epoch ms. */
  laterAt?: number;
  /** Channel, variant and kind of the touch; absent on handles written before touches. */
  touch?: HandleTouch | undefined;
}

/** A repeat visit noted on an attribution handle (once per handle and field). */
export interface AttributionMark {
  item: AttributionItem;
  field: "repeatAt" | "laterAt";
}

/** What an attribution handle knows of its touch. */
export interface HandleTouch {
  kind: "geofence" | "claim" | "exposure";
  channel: string;
  variant: string;
  linkId?: string | undefined;
}

/** A person's first exposure to a link, committed with its claim, handle, log and counters. */
export interface ExposureInput {
  deviceId: string;
  claimPartition: string;
  eventKey: string;
  claimExpiresAt: number;
  handle: AttributionItem;
  handleExpiresAt: number;
  records: ConversionRecord[];
  touchCounters: TouchBump[];
  recordExpiresAt: number;
}

export type ExposureOutcome =
  | { kind: "committed" }
  | { kind: "erased" }
  | { kind: "duplicate"; incentiveId?: string | undefined; outcome?: string | undefined };

/** A code claimed from a web page without a device, granted with its log and counters. */
export interface WebCodeInput {
  incentive: Incentive;
  maxIncentives?: number | undefined;
  storeIds: string[];
  storeTimeZone: string;
  deviceRef: string;
  records: ConversionRecord[];
  touchCounters: TouchBump[];
  recordExpiresAt: number;
}

/** What the incentive sink, delivery and expiry use cases need of the decision store. */
export interface DecisionStore {
  readCounters(
    deviceId: string,
    offers: {
      offerId: string;
      offerDay: string;
    }[],
    deviceDay: string,
    partition?: string,
    /**
     * Items the caller will need next, read in the same request: the device's visit histories at
     * these merchants (consistent, as `JourneyStore.load` at `nowMs`).
     */
    also?: { journeys: { merchantIds: string[]; nowMs: number } },
  ): Promise<{
    perOffer: Map<string, OfferCounters>;
    deviceToday: number;
    deviceDay: string;
    /** The histories asked for in `also`, by merchant id. */
    journeys?: Map<string, StoredJourney>;
  }>;
  grant(plan: GrantPlan): Promise<GrantOutcome>;
  /**
   * Logs a person's first exposure to a link: its idempotency claim (in `claimPartition`), the
   * attribution handle, log records and touch counters, all or nothing.
   */
  recordExposure(input: ExposureInput): Promise<ExposureOutcome>;
  /** Grants a code claimed from a web page without a device: budget slice, code, log, counters. */
  grantWebCode(input: WebCodeInput): Promise<"committed" | "budget" | "code_taken">;
  /** Log records and touch counters with no grant (repeat exposures, refused claims). */
  logTouch(records: ConversionRecord[], bumps: TouchBump[], recordExpiresAt: number): Promise<void>;
  /** The idempotency claim `eventKey` in `partition`, if decided (consistent read). */
  getClaim(
    partition: string,
    eventKey: string,
  ): Promise<{ incentiveId?: string; outcome?: string } | undefined>;
  getIncentive(incentiveId: string): Promise<Incentive | undefined>;
  /** Open attribution handles of a device for one merchant granted after `since`. */
  openAttributions(deviceId: string, merchantId: string, since: number): Promise<AttributionItem[]>;
  /**
   * Commits a visit: its claim (idempotency), log records, counters and the attribution handles
   * it consumes, all or nothing.
   */
  recordVisit(input: VisitInput): Promise<VisitOutcome>;
  /**
   * Logs an unredeemed code's expiry once: the record's condition makes a redelivered stream
   * record a no-op, and the counter moves in the same transaction.
   */
  recordExpired(record: ConversionRecord, recordExpiresAt: number): Promise<boolean>;
  /** Delivery bookkeeping: pending → sent/failed, only from pending (a redelivery changes nothing). */
  markDelivery(
    incentiveId: string,
    status: "sent" | "failed" | "withheld",
    at: number,
    detail?: string,
  ): Promise<boolean>;
}

/** What `DecisionStore.recordVisit` commits in one transaction. */
export interface VisitInput {
  deviceId: string;
  eventKey: string;
  claimExpiresAt: number;
  now: number;
  records: ConversionRecord[];
  counters: CounterBump[];
  touchCounters?: TouchBump[] | undefined;
  attributed: AttributionItem[];
  recordExpiresAt: number;
  /**
   * The device's visit history at the merchant, written in the same transaction; when another
   * write changed it first nothing is written and the outcome is `conflict` (read the history
   * and the handles again and retry; also when a handle moved meanwhile).
   */
  journey?: JourneyWrite | undefined;
  /** Repeat visits to note on attribution handles (each only if not noted yet). */
  marks?: AttributionMark[] | undefined;
  /** The batch's outbox clear, committed with the visit (as `GrantPlan.outboxClear`). */
  outboxClear?: OutboxClear | undefined;
}

/** Outcome of `DecisionStore.recordVisit`. */
export type VisitOutcome = "committed" | "duplicate" | "erased" | "conflict";
