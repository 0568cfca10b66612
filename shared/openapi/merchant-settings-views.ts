/**
 * Response view of the merchant settings routes, apart from the catalog's views so the settings
 * functions do not bundle the catalog's geometry.
 */
import * as z from "zod";
import { quietHoursSettingSchema } from "../domain/catalog/quiet-hours.ts";

const journeySettingsViewSchema = z
  .object({
    returningWithinDays: z.number().int().describe("W: days within which a visit is a return"),
    regularVisits: z.number().int().describe("k: visit days that make a regular"),
    regularWithinDays: z.number().int().describe("D: days the regular count looks back"),
    lapsedAfterDays: z.number().int().describe("L: days without a visit before a regular lapses"),
  })
  .describe("Journey stage windows");

/** `GET/PUT /v1/merchant/settings` answer. */
export const merchantSettingsViewSchema = z
  .object({
    quietHours: quietHoursSettingSchema,
    journey: journeySettingsViewSchema.describe("The journey windows in force"),
    defaults: z.object({
      quietHours: z.object({ start: z.string(), end: z.string() }),
      journey: journeySettingsViewSchema,
    }),
    version: z.number().int().min(0).describe("0 = never set; send as If-Match"),
    updatedAt: z.iso.datetime().optional(),
  })
  .describe("Merchant-wide settings, with the platform defaults");
