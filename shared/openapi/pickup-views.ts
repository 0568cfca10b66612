/**
 * Zod descriptions of what the pickup API returns (only zod: the pickup functions' bundles stay
 * free of the catalog's geometry).
 */
import * as z from "zod";

const pickupStateEnum = z.enum([
  "created",
  "en_route",
  "nearby",
  "arrived",
  "waiting",
  "completed",
  "cancelled",
  "no_show",
]);
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
    mode: z.enum(["in_store", "curbside"]),
    state: pickupStateEnum.describe("The terminal state when over, else the arrival stage"),
    ready: z.boolean().describe("Staff marked the order ready"),
    attached: z.boolean().describe("A shopper's device attached the order"),
    promisedAt: z.iso.datetime(),
    customerName: z.string().optional(),
    vehicle: z
      .object({
        description: z.string().optional(),
        color: z.string().optional(),
        licensePlate: z.string().optional(),
      })
      .optional(),
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
