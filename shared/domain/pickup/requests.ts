/** Request bodies of the pickup API (zod), and the attach token's shape. */
import * as z from "zod";
import { OFFER_INSTANT_RANGE } from "../catalog/common.ts";
import { displayText } from "../text.ts";
import { PICKUP_MODES, STAFF_ACTIONS } from "./pickup.ts";

/** Length (characters) of an attach token: 32 random bytes in base64url = 256 bits. */
export const ATTACH_TOKEN_LENGTH = 43;

/** `POST /v1/pickups` body (merchant backend). */
export const createPickupSchema = z
  .strictObject({
    storeId: z.string().min(1).max(110).describe("The store: its id (st_…) or `code:<store code>`"),
    orderRef: displayText({ min: 1, max: 100 }).describe(
      "The merchant's own order reference; unique per merchant among active pickups is advised",
    ),
    promisedAt: z.iso
      .datetime({ offset: true })
      .refine((s) => {
        const t = Date.parse(s);
        return t >= OFFER_INSTANT_RANGE.min && t < OFFER_INSTANT_RANGE.max;
      }, OFFER_INSTANT_RANGE.message)
      .describe("When the order is promised ready (RFC 3339)"),
    mode: z.enum(PICKUP_MODES).default("in_store").describe("in_store or curbside"),
    customerName: displayText({ min: 1, max: 60 })
      .optional()
      .describe("What staff call the customer (e.g. a first name)"),
    vehicle: z
      .strictObject({
        description: displayText({ min: 1, max: 80 }).optional(),
        color: displayText({ min: 1, max: 30 }).optional(),
        licensePlate: displayText({ min: 1, max: 20 }).optional(),
      })
      .optional()
      .describe("Curbside: how staff recognise the car"),
    nearbyThresholdMinutes: z
      .number()
      .int()
      .min(1)
      .max(60)
      .optional()
      .describe("`nearby` when the arrival estimate drops under this (default 5)"),
  })
  .describe("A pickup order for one store");
export type CreatePickupInput = z.output<typeof createPickupSchema>;

/** `POST /v1/devices/me/pickups` body (the shopper's app). */
export const attachPickupSchema = z.strictObject({
  attachToken: z
    .string()
    .length(ATTACH_TOKEN_LENGTH)
    .regex(/^[A-Za-z0-9_-]+$/, "base64url characters only")
    .describe("The one-time token the merchant's backend got when creating the pickup"),
});

/** Staff actions as path segments (`POST /v1/pickups/{pickupId}/ready|complete|cancel`). */
export const staffActionSchema = z.enum(STAFF_ACTIONS);
