/**
 * Quiet hours: the daily span, on the DEVICE's wall clock, in which no incentive is sent. Each
 * merchant sets a default (`GET/PUT /v1/merchant/settings`); an offer may override it, including
 * with "none" (e.g. a late-night food offer). Without either, the platform default applies.
 */
import * as z from "zod";
import { minutesOfDay } from "../decision/local-time.ts";
import {
  type DailySpan,
  localEndTimeSchema,
  localStartTimeSchema,
  type WeeklySchedule,
} from "../decision/offer-rules.ts";
import { type JourneySettingsInput, journeySettingsInputSchema } from "../journey/settings.ts";

/** Quiet hours of a merchant that never set any: 21:00–08:00 in the device's zone. */
export const PLATFORM_QUIET_HOURS: DailySpan = { start: "21:00", end: "08:00" };

/** A daily span; start = end is refused as ambiguous ("none" says no quiet hours). */
export const quietSpanSchema = z
  .strictObject({
    start: localStartTimeSchema.describe("Local time HH:mm on the device's clock, inclusive"),
    end: localEndTimeSchema.describe("Local time HH:mm, exclusive; before start wraps midnight"),
  })
  .refine((q) => q.start !== q.end, {
    message: 'must differ from start (send "none" for no quiet hours, 00:00–24:00 for all day)',
    path: ["end"],
  });

/** Quiet hours as the API takes them: a span, or "none". */
export const quietHoursSettingSchema = z
  .union([z.literal("none"), quietSpanSchema], {
    error: 'must be {"start": "HH:mm", "end": "HH:mm"} or "none"',
  })
  .describe(
    'Daily span on the device\'s wall clock in which nothing is sent (end before start wraps past midnight), or "none"',
  );
export type QuietHoursSetting = z.output<typeof quietHoursSettingSchema>;

/** `PUT /v1/merchant/settings` body. */
export const merchantSettingsInputSchema = z
  .strictObject({
    quietHours: quietHoursSettingSchema.describe(
      "Default quiet hours of every offer of the merchant (an offer may override them)",
    ),
    journey: journeySettingsInputSchema.optional(),
  })
  .describe("Merchant-wide settings");
export type MerchantSettingsInput = z.output<typeof merchantSettingsInputSchema>;

/** The merchant's settings as stored (version 0 = never set: platform defaults). */
export interface MerchantSettings {
  merchantId: string;
  quietHours: QuietHoursSetting;
  /** The merchant's journey windows (absent fields: `DEFAULT_JOURNEY_SETTINGS`). */
  journey?: JourneySettingsInput | undefined;
  version: number;
  updatedAt?: string | undefined;
}

export function defaultMerchantSettings(merchantId: string): MerchantSettings {
  return { merchantId, quietHours: { ...PLATFORM_QUIET_HOURS }, version: 0 };
}

/** Where an offer's quiet hours come from, for messages and the API. */
export type QuietHoursSource = "offer" | "merchant" | "platform";

/**
 * The quiet hours that apply to an offer: its own override, else the merchant's default, else
 * the platform's. `null` = none.
 */
export function effectiveQuietHours(
  offerQuiet: QuietHoursSetting | undefined,
  merchant: MerchantSettings | undefined,
): { span: DailySpan | null; source: QuietHoursSource } {
  if (offerQuiet !== undefined)
    return { span: offerQuiet === "none" ? null : offerQuiet, source: "offer" };
  if (merchant !== undefined && merchant.version > 0) {
    return {
      span: merchant.quietHours === "none" ? null : merchant.quietHours,
      source: "merchant",
    };
  }
  return { span: PLATFORM_QUIET_HOURS, source: "platform" };
}

const DAY_MIN = 24 * 60;

function inSpan(t: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start < end ? t >= start && t < end : t >= start || t < end;
}

/**
 * Whether every minute of the weekly schedule (the whole day when there is none) falls inside
 * the quiet span, reading both on one wall clock: then a device in the store's own zone can
 * never receive the offer. Exact at minute granularity (schedules and quiet hours are HH:mm).
 */
export function scheduleInsideQuietHours(
  schedule: WeeklySchedule | undefined,
  quiet: DailySpan | null,
): boolean {
  if (quiet === null) return false;
  const qs = minutesOfDay(quiet.start);
  const qe = minutesOfDay(quiet.end);
  if (qs === null || qe === null) return false;
  const windows = schedule ?? [{ days: ["mon"], start: "00:00", end: "24:00" }];
  for (const w of windows) {
    const s = minutesOfDay(w.start);
    const e = minutesOfDay(w.end);
    if (s === null || e === null || s === e) continue;
    const length = s < e ? e - s : DAY_MIN - s + e;
    for (let i = 0; i < length; i++) {
      if (!inSpan((s + i) % DAY_MIN, qs, qe)) return false;
    }
  }
  return true;
}

/** "21:00–08:00" for messages; "none" for no quiet hours. */
export function describeQuietHours(span: DailySpan | null): string {
  return span === null ? "none" : `${span.start}–${span.end}`;
}
