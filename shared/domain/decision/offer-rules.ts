/**
 * The slice of an offer that the incentive decision reads, and the zod schemas for the parts
 * (weekly schedule, quiet hours) that the API validates with the same rules the decision applies.
 */
import * as z from "zod";
import type { TargetStage } from "../journey/stage.ts";

/** Days of the week as they appear in schedules, Monday first (ISO 8601 order). */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One weekly window in the store's local wall-clock time. */
export interface WeeklyWindow {
  /** Days on which the window STARTS; a wrapping window spills into the next day. */
  readonly days: readonly Weekday[];
  /** "HH:mm", 00:00–23:59, inclusive. */
  readonly start: string;
  /** "HH:mm", 00:00–24:00, exclusive; end < start wraps past midnight (22:00–02:00). */
  readonly end: string;
}

export type WeeklySchedule = readonly WeeklyWindow[];

/** A daily local-time span (quiet hours); end < start wraps past midnight. */
export interface DailySpan {
  readonly start: string;
  readonly end: string;
}

export type OfferStatus = "active" | "paused";
/**
 * What fires an offer: entering its trigger zone, dwelling in it, or a shopper's pickup order
 * arriving at one of its stores (`pickup_arrived`: an in-store cross-sell; no trigger zone).
 */
export type TriggerOn = "enter" | "dwell" | "pickup_arrived";

/** The trigger of pickup cross-sells. */
export const PICKUP_TRIGGER = "pickup_arrived";

/** Whether an offer fires on pickup arrival (and so owns no trigger zone). */
export function isPickupOffer(offer: { readonly trigger: { readonly on: string } }): boolean {
  return offer.trigger.on === PICKUP_TRIGGER;
}

/**
 * Default freshness limit (minutes): an incentive is decided only for a trigger event at most
 * this old when the server decides. Five minutes covers a phone's ping batching (iOS and Android
 * deliver background locations within a few minutes) plus the outbox sweep (≤ 2 minutes in AWS);
 * anything older would push an offer to someone who has long left.
 */
export const DEFAULT_FRESHNESS_MINUTES = 5;

/** The fields of an offer that decide whether, and which, incentive is sent. */
export interface DecisionOffer {
  readonly offerId: string;
  readonly merchantId: string;
  readonly storeId: string;
  readonly status: OfferStatus;
  /** ISO 8601 instant, inclusive. */
  readonly validFrom: string;
  /** ISO 8601 instant, exclusive. */
  readonly validTo: string;
  /** Absent = any time within the validity window. */
  readonly schedule?: WeeklySchedule;
  readonly caps: {
    readonly perDevicePerDay?: number;
    readonly perDeviceTotal?: number;
    readonly cooldownMinutes?: number;
  };
  readonly budget: { readonly maxIncentives?: number };
  /**
   * The device needs at least one of these; absent or empty = everyone. Only trusted
   * memberships count (set by the app's backend, or a merchant audience of the asserted person)
   * unless `allowSelfDeclaredSegments`.
   */
  /** Journey stages targeted at the offer's merchant (see domain/journey); absent = all. */
  readonly stages?: readonly TargetStage[];
  readonly segments?: readonly string[];
  /** Also accept segments the device declared about itself (its own claim, not a fact). */
  readonly allowSelfDeclaredSegments?: boolean;
  /** Only devices with a verified platform attestation qualify. */
  readonly requireAttestation?: boolean;
  /** Share of eligible devices that get nothing, 0–50 (percent; fractions allowed). */
  readonly holdoutPercent: number;
  readonly trigger: {
    readonly on: TriggerOn;
    /** Freshness limit in minutes (absent = `DEFAULT_FRESHNESS_MINUTES`). */
    readonly freshnessMinutes?: number;
  };
  /** When this offer's trigger event happened (epoch ms); absent = the decision's `event.at`. */
  readonly eventAt?: number;
  readonly triggerRadiusM: number;
  /** Higher wins when several offers are eligible; absent = 0. */
  readonly priority?: number;
  /**
   * Quiet hours that apply to this offer (its override, else its merchant's default), on the
   * device's clock; `null` = none; absent = the decision config's (platform) quiet hours.
   */
  readonly quietHours?: DailySpan | null;
}

const HHMM_START = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const HHMM_END = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** A start time of day: "HH:mm" from 00:00 to 23:59. */
export const localStartTimeSchema = z
  .string()
  .regex(HHMM_START, "must be a local time HH:mm between 00:00 and 23:59");

/** An end time of day: "HH:mm" from 00:00 to 24:00 (24:00 = end of the day). */
export const localEndTimeSchema = z
  .string()
  .regex(HHMM_END, "must be a local time HH:mm between 00:00 and 24:00");

export const weekdaySchema = z.enum(WEEKDAYS);

/** One weekly window; equal start and end is rejected because it is ambiguous (empty or 24 h?). */
export const weeklyWindowSchema = z
  .strictObject({
    days: z
      .array(weekdaySchema)
      .min(1, "must name at least one day")
      .refine((days) => new Set(days).size === days.length, "must not repeat a day"),
    start: localStartTimeSchema,
    end: localEndTimeSchema,
  })
  .refine((w) => w.start !== w.end, {
    message: "must differ from start (use 00:00–24:00 for a whole day)",
    path: ["end"],
  });

/**
 * A weekly schedule in the store's local time. Reused by the merchant API so that what is
 * accepted is exactly what `isWithinSchedule` can evaluate; an empty list (never live) is
 * rejected as it is almost certainly a mistake: omit the schedule for "always".
 */
export const weeklyScheduleSchema = z
  .array(weeklyWindowSchema)
  .min(1, "must contain at least one window (omit the schedule for 'always')")
  .max(28, "must contain at most 28 windows");

/** Quiet hours in the device's local time; equal start and end means no quiet period. */
export const quietHoursSchema = z.strictObject({
  start: localStartTimeSchema,
  end: localEndTimeSchema,
});

/** Holdout share in percent; capped at 50 so that at least half of eligible devices are treated. */
export const holdoutPercentSchema = z
  .number()
  .min(0, "must be between 0 and 50")
  .max(50, "must be between 0 and 50");
