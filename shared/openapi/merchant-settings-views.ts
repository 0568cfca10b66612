/**
 * Response view of the merchant settings routes, apart from the catalog's views so the settings
 * functions do not bundle the catalog's geometry.
 */
import * as z from "zod";
import { quietHoursSettingSchema } from "../domain/catalog/quiet-hours.ts";

/** `GET/PUT /v1/merchant/settings` answer. */
export const merchantSettingsViewSchema = z
  .object({
    quietHours: quietHoursSettingSchema,
    defaults: z.object({ quietHours: z.object({ start: z.string(), end: z.string() }) }),
    version: z.number().int().min(0).describe("0 = never set; send as If-Match"),
    updatedAt: z.iso.datetime().optional(),
  })
  .describe("Merchant-wide settings, with the platform defaults");
