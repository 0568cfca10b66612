/**
 * Routes of the merchant catalog: stores (footprints), offers (trigger zones), store import and
 * the merchant's settings. Merchant JWT; the roles are those the use cases enforce.
 */
import * as z from "zod";
import { CATALOG_READ_ROLES, CATALOG_WRITE_ROLES, STORE_READ_ROLES } from "../../auth/principal.ts";
import {
  IMPORT_MAX_BODY_BYTES,
  offerInputSchema,
  storeImportSchema,
  storeInputSchema,
  storeListQuerySchema,
} from "../../domain/catalog/index.ts";
import { offerListQuerySchema } from "../../domain/catalog/offer-state.ts";
import {
  importResultSchema,
  offerPageSchema,
  offerPatchSchema,
  offerViewSchema,
  storePageSchema,
  storePatchSchema,
  storeViewSchema,
} from "../../openapi/schemas.ts";
import { MERGE_PATCH_MEDIA_TYPE } from "../merge-patch.ts";
import { defineRoute } from "../route-contract.ts";
import {
  ifMatchHeader,
  ifMatchRequiredHeader,
  offerIdPath,
  problems,
  storeIdPath,
  WRITE_PROBLEMS,
} from "./common.ts";

export { getMerchantSettingsRoute, putMerchantSettingsRoute } from "./merchant-settings.ts";

/** Largest store or offer body: a footprint or trigger zone polygon with many vertices. */
const CATALOG_BODY_LIMIT = 256 * 1024;

const ETAG = { ETag: "The resource's version, for If-Match" };

export const createStoreRoute = defineRoute({
  method: "POST",
  path: "/v1/stores",
  fn: "store-create",
  auth: "jwt",
  roles: CATALOG_WRITE_ROLES,
  operationId: "createStore",
  tag: "stores",
  summary: "Create a store",
  description:
    "Without `location`, the `address` is geocoded (Amazon Location); without `timeZone`, it " +
    "is derived from the coordinates. The footprint is indexed before the response.",
  bodyLimit: CATALOG_BODY_LIMIT,
  request: { body: storeInputSchema },
  responses: {
    201: {
      description: "Created",
      schema: storeViewSchema,
      headers: { ...ETAG, Location: "The store's URL" },
    },
    ...problems(...WRITE_PROBLEMS, 409, 422, 503),
  },
});

export const listStoresRoute = defineRoute({
  method: "GET",
  path: "/v1/stores",
  fn: "store-list",
  auth: "jwt",
  roles: STORE_READ_ROLES,
  operationId: "listStores",
  tag: "stores",
  summary: "List stores",
  description:
    "With `externalRef`, the one store with that store code (or none), without paging. " +
    "POS tokens may read stores too.",
  request: { query: storeListQuerySchema },
  responses: {
    200: { description: "A page of stores", schema: storePageSchema },
    ...problems(400, 401, 403),
  },
});

export const importStoresRoute = defineRoute({
  method: "POST",
  path: "/v1/stores:import",
  fn: "store-import",
  auth: "jwt",
  rateLimit: 2,
  roles: CATALOG_WRITE_ROLES,
  operationId: "importStores",
  tag: "stores",
  summary: "Import stores from GeoJSON (a job)",
  description:
    "Up to 5,000 features, 6 MB (the Lambda request limit under API Gateway's 10 MB). Point " +
    "features get a circular footprint of `properties.radiusM` (default 30 m); " +
    "Polygon/MultiPolygon features are the footprint. The shape of every feature is checked " +
    "first: on any error the 400 lists them all (`index`, `path`) and nothing is stored. " +
    "Otherwise 202 with the job (`Location: /v1/store-imports/{jobId}`): a worker checks every " +
    "geometry (any error fails the job, listing them all, with nothing written), then upserts " +
    "the stores by store code (`externalRef`) chunk by chunk. `Idempotency-Key` (or, without " +
    "it, the same body) within 24 h answers 200 with the same job.",
  bodyLimit: IMPORT_MAX_BODY_BYTES,
  request: {
    headers: z.object({
      "Idempotency-Key": z
        .string()
        .optional()
        .describe("Any string of the client's; the same key within 24 h gives the same job"),
    }),
    body: storeImportSchema,
  },
  responses: {
    202: {
      description: "The import job",
      schema: importResultSchema,
      headers: { Location: "The job's URL" },
    },
    200: {
      description: "The same job again (same Idempotency-Key or body)",
      schema: importResultSchema,
      headers: { Location: "The job's URL", "Idempotent-Replayed": "true" },
    },
    ...problems(...WRITE_PROBLEMS, 422),
  },
});

export const getStoreImportRoute = defineRoute({
  method: "GET",
  path: "/v1/store-imports/{jobId}",
  fn: "store-import-get",
  auth: "jwt",
  roles: CATALOG_READ_ROLES,
  operationId: "getStoreImport",
  tag: "stores",
  summary: "Get an import job",
  description: "Status, progress, counts and per-feature results; poll until succeeded or failed.",
  request: { path: z.object({ jobId: z.string().describe("The job id (`imp_…`)") }) },
  responses: {
    200: {
      description: "The import job",
      schema: importResultSchema,
      headers: { "Retry-After": "Seconds to wait before polling again, while the job runs" },
    },
    ...problems(400, 401, 403, 404),
  },
});

export const getStoreRoute = defineRoute({
  method: "GET",
  path: "/v1/stores/{storeId}",
  fn: "store-get",
  auth: "jwt",
  roles: STORE_READ_ROLES,
  operationId: "getStore",
  tag: "stores",
  summary: "Get a store",
  request: { path: storeIdPath },
  responses: {
    200: { description: "The store", schema: storeViewSchema, headers: ETAG },
    ...problems(400, 401, 403, 404),
  },
});

export const replaceStoreRoute = defineRoute({
  method: "PUT",
  path: "/v1/stores/{storeId}",
  fn: "store-update",
  auth: "jwt",
  roles: CATALOG_WRITE_ROLES,
  operationId: "replaceStore",
  tag: "stores",
  summary: "Replace a store",
  description:
    "Replaces the whole store: members left out (address, openingHours, ...) are removed. " +
    "`If-Match` is required (428 without it). Moving the footprint or location re-indexes " +
    "the store and its offers' zones.",
  bodyLimit: CATALOG_BODY_LIMIT,
  request: { path: storeIdPath, headers: ifMatchRequiredHeader, body: storeInputSchema },
  responses: {
    200: { description: "Replaced", schema: storeViewSchema, headers: ETAG },
    ...problems(...WRITE_PROBLEMS, 404, 409, 422, 428, 503),
  },
});

export const patchStoreRoute = defineRoute({
  method: "PATCH",
  path: "/v1/stores/{storeId}",
  fn: "store-patch",
  auth: "jwt",
  roles: CATALOG_WRITE_ROLES,
  operationId: "patchStore",
  tag: "stores",
  summary: "Update a store (JSON Merge Patch)",
  description:
    "RFC 7396 `application/merge-patch+json`: members sent replace, `null` removes one, " +
    "absent members stay. The merged store is validated like a PUT body.",
  bodyLimit: CATALOG_BODY_LIMIT,
  request: {
    path: storeIdPath,
    headers: ifMatchHeader,
    body: storePatchSchema,
    bodyMediaTypes: [MERGE_PATCH_MEDIA_TYPE],
  },
  responses: {
    200: { description: "Updated", schema: storeViewSchema, headers: ETAG },
    ...problems(...WRITE_PROBLEMS, 404, 409, 422, 503),
  },
});

export const deleteStoreRoute = defineRoute({
  method: "DELETE",
  path: "/v1/stores/{storeId}",
  fn: "store-delete",
  auth: "jwt",
  roles: CATALOG_WRITE_ROLES,
  operationId: "deleteStore",
  tag: "stores",
  summary: "Delete a store",
  description: "Refused with 409 (naming `storeId` and the offers) while any offer lists it.",
  request: { path: storeIdPath, headers: ifMatchHeader },
  responses: { 204: { description: "Deleted" }, ...problems(400, 401, 403, 404, 409) },
});

export const createOfferRoute = defineRoute({
  method: "POST",
  path: "/v1/offers",
  fn: "offer-create",
  auth: "jwt",
  roles: CATALOG_WRITE_ROLES,
  operationId: "createOffer",
  tag: "offers",
  summary: "Create an offer",
  description:
    "The offer starts active; `warnings` name what keeps it from firing for some devices.",
  bodyLimit: CATALOG_BODY_LIMIT,
  request: { body: offerInputSchema },
  responses: {
    201: {
      description: "Created (active)",
      schema: offerViewSchema,
      headers: { ...ETAG, Location: "The offer's URL" },
    },
    ...problems(...WRITE_PROBLEMS, 404, 409),
  },
});

export const listOffersRoute = defineRoute({
  method: "GET",
  path: "/v1/offers",
  fn: "offer-list",
  auth: "jwt",
  roles: CATALOG_READ_ROLES,
  operationId: "listOffers",
  tag: "offers",
  summary: "List offers",
  description:
    "Each offer carries its derived `state`. `?state=live,outside_schedule` keeps only offers " +
    "in those states; the filter applies per page, so a page may hold fewer than `limit` " +
    "items while `nextCursor` is not null.",
  request: { query: offerListQuerySchema },
  responses: {
    200: { description: "A page of offers", schema: offerPageSchema },
    ...problems(400, 401, 403),
  },
});

export const getOfferRoute = defineRoute({
  method: "GET",
  path: "/v1/offers/{offerId}",
  fn: "offer-get",
  auth: "jwt",
  roles: CATALOG_READ_ROLES,
  operationId: "getOffer",
  tag: "offers",
  summary: "Get an offer",
  request: { path: offerIdPath },
  responses: {
    200: { description: "The offer", schema: offerViewSchema, headers: ETAG },
    ...problems(400, 401, 403, 404),
  },
});

export const replaceOfferRoute = defineRoute({
  method: "PUT",
  path: "/v1/offers/{offerId}",
  fn: "offer-update",
  auth: "jwt",
  roles: CATALOG_WRITE_ROLES,
  operationId: "replaceOffer",
  tag: "offers",
  summary: "Replace an offer",
  description:
    "Replaces the whole offer (members left out are removed or defaulted). `If-Match` is " +
    "required (428 without it).",
  bodyLimit: CATALOG_BODY_LIMIT,
  request: { path: offerIdPath, headers: ifMatchRequiredHeader, body: offerInputSchema },
  responses: {
    200: { description: "Replaced", schema: offerViewSchema, headers: ETAG },
    ...problems(...WRITE_PROBLEMS, 404, 409, 428),
  },
});

export const patchOfferRoute = defineRoute({
  method: "PATCH",
  path: "/v1/offers/{offerId}",
  fn: "offer-patch",
  auth: "jwt",
  roles: CATALOG_WRITE_ROLES,
  operationId: "patchOffer",
  tag: "offers",
  summary: "Update an offer (JSON Merge Patch)",
  description:
    "RFC 7396 `application/merge-patch+json`: members sent replace, `null` removes one, " +
    "absent members stay. The merged offer is validated like a PUT body.",
  bodyLimit: CATALOG_BODY_LIMIT,
  request: {
    path: offerIdPath,
    headers: ifMatchHeader,
    body: offerPatchSchema,
    bodyMediaTypes: [MERGE_PATCH_MEDIA_TYPE],
  },
  responses: {
    200: { description: "Updated", schema: offerViewSchema, headers: ETAG },
    ...problems(...WRITE_PROBLEMS, 404, 409),
  },
});

export const deleteOfferRoute = defineRoute({
  method: "DELETE",
  path: "/v1/offers/{offerId}",
  fn: "offer-delete",
  auth: "jwt",
  roles: CATALOG_WRITE_ROLES,
  operationId: "deleteOffer",
  tag: "offers",
  summary: "Delete an offer",
  description: "Removes the offer's trigger zones from the index, then the offer.",
  request: { path: offerIdPath, headers: ifMatchHeader },
  responses: { 204: { description: "Deleted" }, ...problems(400, 401, 403, 404, 409) },
});

export const pauseOfferRoute = defineRoute({
  method: "POST",
  path: "/v1/offers/{offerId}/pause",
  fn: "offer-pause",
  auth: "jwt",
  roles: CATALOG_WRITE_ROLES,
  operationId: "pauseOffer",
  tag: "offers",
  summary: "Pause an offer",
  description: "Its trigger zones leave the index: a paused offer never matches.",
  request: { path: offerIdPath, headers: ifMatchHeader, bodyOptional: true },
  responses: {
    200: { description: "Paused", schema: offerViewSchema, headers: ETAG },
    ...problems(400, 401, 403, 404, 409),
  },
});

export const resumeOfferRoute = defineRoute({
  method: "POST",
  path: "/v1/offers/{offerId}/resume",
  fn: "offer-resume",
  auth: "jwt",
  roles: CATALOG_WRITE_ROLES,
  operationId: "resumeOffer",
  tag: "offers",
  summary: "Resume an offer",
  description: "Indexes the offer's trigger zones again.",
  request: { path: offerIdPath, headers: ifMatchHeader, bodyOptional: true },
  responses: {
    200: { description: "Active", schema: offerViewSchema, headers: ETAG },
    ...problems(400, 401, 403, 404, 409),
  },
});
