/**
 * Zod descriptions of what the pickup API returns (only zod: the pickup functions' bundles stay
 * free of the catalog's geometry).
 */
import * as z from "zod";
import { vehicleSchema } from "../domain/pickup/message.ts";
import { PICKUP_MODES, PICKUP_STATES } from "../domain/pickup/pickup.ts";

const pickupStateEnum = z.enum(PICKUP_STATES);
const pickupTimesSchema = z
  .record(z.string(), z.iso.datetime())
  .describe(
    "When each step happened (each at most once): created, attached, en_route, nearby, " +
      "arrived, waiting, ready, completed, cancelled, no_show",
  );

/** A pickup order as merchants and staff see it (no device ids, no positions). */
export const pickupViewSchema = z
  .object({
    pickupId: z.string().describe("pu_…"),
    storeId: z.string(),
    orderRef: z.string(),
    mode: z.enum(PICKUP_MODES),
    state: pickupStateEnum.describe("The terminal state when over, else the arrival stage"),
    ready: z.boolean().describe("Staff marked the order ready"),
    attached: z.boolean().describe("A shopper's device attached the order"),
    promisedAt: z.iso.datetime(),
    customerName: z.string().optional(),
    vehicle: vehicleSchema.optional(),
    estimatedArrivalAt: z.iso
      .datetime()
      .optional()
      .describe("routeFactor × distance to the footprint / smoothed closing speed, from pings"),
    arrivalSource: z.enum(["location", "manual"]).optional(),
    nearbyThresholdSeconds: z.number().int(),
    times: pickupTimesSchema,
    version: z.number().int(),
  })
  .describe("A pickup order");

export const pickupCreatedSchema = pickupViewSchema
  .extend({
    attachToken: z
      .string()
      .describe("One-time, 256-bit: hand it to the shopper's app (shown only here)"),
    attachTokenExpiresAt: z.iso.datetime(),
  })
  .describe("The created pickup and its attach token");

export const pickupBoardSchema = z
  .object({ storeId: z.string(), items: z.array(pickupViewSchema) })
  .describe("The store's active pickups by promised time");

export const devicePickupSchema = pickupViewSchema
  .pick({
    pickupId: true,
    storeId: true,
    orderRef: true,
    mode: true,
    state: true,
    ready: true,
    promisedAt: true,
    estimatedArrivalAt: true,
    times: true,
  })
  .describe("A pickup order as the shopper's app sees it");

const seconds = (what: string) => z.number().nullable().describe(`${what} (s; null: none)`);

const durationStatsSchema = z.object({
  count: z.number().int().min(0),
  meanSeconds: seconds("Mean"),
  medianSeconds: seconds("Median"),
  p90Seconds: seconds("90th percentile"),
});

const shareSchema = z.object({
  of: z.number().int().min(0),
  count: z.number().int().min(0),
  share: z.number().min(0).max(1).nullable().describe("count / of; null when of is 0"),
});

const pickupMetricsShape = {
  pickups: z.number().int().min(0).describe("Ended pickups: completed, cancelled, no-show"),
  completed: z.number().int().min(0),
  autoCompleted: z
    .number()
    .int()
    .min(0)
    .describe("Of completed: closed by the timeout, not by staff (no wait time measured)"),
  cancelled: z.number().int().min(0),
  noShow: z.number().int().min(0),
  arrived: z.number().int().min(0).describe("Pickups whose shopper arrived"),
  manualArrivals: z.number().int().min(0).describe("Of arrived: by the app's \"I'm here\""),
  waitTime: durationStatsSchema.describe("Arrived → completed by staff"),
  estimateError: z
    .object({
      count: z.number().int().min(0),
      meanSeconds: seconds("Mean of actual − predicted arrival; positive: later than predicted"),
      medianAbsoluteSeconds: seconds("Median of |actual − predicted|"),
      p90AbsoluteSeconds: seconds("90th percentile of |actual − predicted|"),
    })
    .describe("The arrival predicted when the pickup became nearby vs the real arrival"),
  onTime: shareSchema.describe("Arrivals at or before the promised time"),
  readyOnArrival: shareSchema.describe("Arrivals that found the order already ready"),
};

/** `GET /v1/reports/stores/{storeId}/pickups`. */
export const pickupReportSchema = z
  .object({
    storeId: z.string(),
    storeName: z.string().nullable(),
    storeCode: z.string().nullable(),
    timeZone: z.string().describe("The store's zone: days are its local days"),
    from: z.iso.date(),
    to: z.iso.date(),
    totals: z.object(pickupMetricsShape).describe("Over the whole range"),
    rows: z
      .array(z.object({ day: z.iso.date(), ...pickupMetricsShape }))
      .describe("Per store-local day of the promised time"),
    method: z.record(z.string(), z.string()).describe("How each figure is computed"),
  })
  .describe("Pickup metrics of one store per day: wait time, estimate error, on-time share");
