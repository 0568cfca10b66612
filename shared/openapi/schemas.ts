/**
 * Zod descriptions of what the catalog API returns, built from the request schemas so that a
 * field documented for input is documented the same way for output.
 */
import * as z from "zod";
import {
  footprintSchema,
  latLonSchema,
  offerInputSchema,
  pickupBaysSchema,
  storeInputSchema,
  triggerZoneSchema,
} from "../domain/catalog/index.ts";
import { OFFER_STATES } from "../domain/catalog/offer-state.ts";
import { nextCursor, versionedShape } from "./common-views.ts";

export { merchantSettingsViewSchema } from "./merchant-settings-views.ts";

const input = storeInputSchema.shape;
const offer = offerInputSchema.shape;

/** A store as returned by the API. */
export const storeViewSchema = z
  .object({
    storeId: z.string().describe("st_…"),
    name: input.name,
    externalRef: input.externalRef,
    address: input.address,
    location: latLonSchema.describe("The store's point"),
    locationSource: z
      .enum(["request", "geocoder", "footprint"])
      .describe("Where the location came from"),
    timeZone: z.string().describe("IANA time zone (given, or derived from the location)"),
    openingHours: input.openingHours,
    footprint: footprintSchema,
    footprintSource: z
      .enum(["request", "default"])
      .describe("Sent with the store, or the default circle around its location"),
    pickupBays: pickupBaysSchema.describe("Pickup bays beside the footprint (empty: none)"),
    zoneCells: z
      .number()
      .int()
      .min(0)
      .describe("H3 cells indexing the footprint and the pickup bays"),
    offerIds: z.array(z.string()).describe("Offers listing this store"),
    ...versionedShape,
  })
  .describe("A store");

/** An offer as returned by the API. */
export const offerViewSchema = z
  .object({
    offerId: z.string().describe("of_…"),
    status: z.enum(["active", "paused"]).describe("The merchant's intent"),
    state: z
      .enum(OFFER_STATES)
      .describe(
        "Derived now, in the stores' zones: scheduled (before validFrom), live (could fire now), " +
          "outside_schedule, budget_exhausted, ended (after validTo), paused",
      ),
    sentCount: z.number().int().min(0).describe("Incentives sent so far (budget use)"),
    warnings: z
      .array(z.object({ path: z.string(), code: z.string(), message: z.string() }))
      .optional()
      .describe("On create/update only: what keeps the offer from firing for some devices"),
    // Every input field as the offer keeps it (offerView); the three named again below are
    // described apart from their input rules.
    ...offer,
    storeIds: z.array(z.string()),
    triggerZone: triggerZoneSchema
      .optional()
      .describe("Absent on offers that fire on pickup arrival (trigger.on pickup_arrived)"),
    priority: z.number().int(),
    zoneCount: z.number().int().min(0).describe("Trigger zones in the index (0 while paused)"),
    zoneCells: z.number().int().min(0).describe("H3 cells indexing those zones"),
    ...versionedShape,
  })
  .describe("An offer");

export const storePageSchema = z.object({ items: z.array(storeViewSchema), nextCursor });
export const offerPageSchema = z.object({ items: z.array(offerViewSchema), nextCursor });

export const importResultSchema = z
  .object({
    jobId: z.string().describe("imp_…"),
    status: z
      .enum(["queued", "running", "succeeded", "failed"])
      .describe("failed: some feature is invalid (see errors) and no store was written"),
    phase: z.enum(["validate", "write", "done"]),
    total: z.number().int().describe("Features in the file"),
    processed: z.number().int().describe("Features written so far (created + updated + unchanged)"),
    created: z.number().int(),
    updated: z.number().int().describe("Stores found by store code and changed"),
    unchanged: z.number().int().describe("Stores found by store code, already as in the file"),
    failed: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    errors: z
      .array(z.object({ index: z.number().int(), path: z.string(), reason: z.string() }))
      .optional()
      .describe("Every invalid feature (index, JSON path) when the job failed"),
    errorCount: z.number().int().optional(),
    results: z
      .array(
        z.object({
          index: z.number().int().describe("The feature's position in the file"),
          storeId: z.string(),
          externalRef: z.string().optional(),
          outcome: z.enum(["created", "updated", "unchanged"]),
        }),
      )
      .describe("Per-feature results of the chunks written so far, in file order"),
  })
  .describe("A store import job: status, progress and per-feature results");

/**
 * RFC 9457 problem details as every error response carries them. Extension members (RFC 9457
 * §3.2) add what a client acts on: `allow` (405), `retryAfterSeconds` and `scope` (429),
 * `redeemedAt` (409 on a code used before), `acceptPatch` (415 on a PATCH).
 */
export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string(),
    errors: z
      .array(
        z.object({
          path: z.string().describe("Slash-separated JSON path, e.g. footprint/coordinates/0/3"),
          reason: z.string(),
          index: z.number().int().optional().describe("Feature index (store import)"),
        }),
      )
      .optional(),
  })
  .describe("RFC 9457 problem details; `errors` names each offending field");

/**
 * The JSON Merge Patch (RFC 7396) document of an input schema, for the documentation: every
 * member optional, `null` removes it; nested objects merge the same way.
 */
function mergePatchOf(shape: Record<string, z.ZodType>, description: string) {
  return z
    .object(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.nullable().optional()])))
    .describe(description);
}

export const storePatchSchema = mergePatchOf(
  storeInputSchema.shape,
  "JSON Merge Patch of a store: members sent replace, null removes, absent members stay",
);
export const offerPatchSchema = mergePatchOf(
  offerInputSchema.shape,
  "JSON Merge Patch of an offer: members sent replace, null removes, absent members stay",
);
