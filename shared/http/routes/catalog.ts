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
import { defineRoute } from "../route-contract.ts";
import {
  actionRoute,
  type CatalogResource,
  createRoute,
  deleteRoute,
  getRoute,
  listRoute,
  mergePatchRoute,
  replaceRoute,
} from "./builders.ts";
import { offerIdPath, problems, storeIdPath, WRITE_PROBLEMS } from "./common.ts";

export { getMerchantSettingsRoute, putMerchantSettingsRoute } from "./merchant-settings.ts";

/** Largest store or offer body: a footprint or trigger zone polygon with many vertices. */
const CATALOG_BODY_LIMIT = 256 * 1024;

/** Stores: footprints the merchant's visits are counted in. */
const stores = {
  noun: "store",
  article: "a",
  collection: "/v1/stores",
  tag: "stores",
  idPath: storeIdPath,
  view: storeViewSchema,
  // POS tokens may read stores too.
  readRoles: STORE_READ_ROLES,
  writeRoles: CATALOG_WRITE_ROLES,
  input: storeInputSchema,
  patch: storePatchSchema,
  bodyLimit: CATALOG_BODY_LIMIT,
  // The address is geocoded (Amazon Location) when the location is left out.
  changeProblems: [422, 503],
} satisfies CatalogResource;

/** Offers: trigger zones around the merchant's stores. */
const offers = {
  noun: "offer",
  article: "an",
  collection: "/v1/offers",
  tag: "offers",
  idPath: offerIdPath,
  view: offerViewSchema,
  readRoles: CATALOG_READ_ROLES,
  writeRoles: CATALOG_WRITE_ROLES,
  input: offerInputSchema,
  patch: offerPatchSchema,
  bodyLimit: CATALOG_BODY_LIMIT,
  changeProblems: [],
} satisfies CatalogResource;

export const createStoreRoute = createRoute(stores, {
  description:
    "Without `location`, the `address` is geocoded (Amazon Location); without `timeZone`, it " +
    "is derived from the coordinates. The footprint is indexed before the response.",
  created: "Created",
  problems: [...WRITE_PROBLEMS, 409, 422, 503],
});

export const listStoresRoute = listRoute(stores, {
  description:
    "With `externalRef`, the one store with that store code (or none), without paging. " +
    "POS tokens may read stores too.",
  query: storeListQuerySchema,
  page: storePageSchema,
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

export const getStoreRoute = getRoute(stores);

export const replaceStoreRoute = replaceRoute(stores, {
  description:
    "Replaces the whole store: members left out (address, openingHours, ...) are removed. " +
    "`If-Match` is required (428 without it). Moving the footprint or location re-indexes " +
    "the store and its offers' zones.",
});

export const patchStoreRoute = mergePatchRoute(stores);

export const deleteStoreRoute = deleteRoute(stores, {
  description: "Refused with 409 (naming `storeId` and the offers) while any offer lists it.",
});

export const createOfferRoute = createRoute(offers, {
  description:
    "The offer starts active; `warnings` name what keeps it from firing for some devices.",
  created: "Created (active)",
  problems: [...WRITE_PROBLEMS, 404, 409],
});

export const listOffersRoute = listRoute(offers, {
  description:
    "Each offer carries its derived `state`. `?state=live,outside_schedule` keeps only offers " +
    "in those states; the filter applies per page, so a page may hold fewer than `limit` " +
    "items while `nextCursor` is not null.",
  query: offerListQuerySchema,
  page: offerPageSchema,
});

export const getOfferRoute = getRoute(offers);

export const replaceOfferRoute = replaceRoute(offers, {
  description:
    "Replaces the whole offer (members left out are removed or defaulted). `If-Match` is " +
    "required (428 without it).",
});

export const patchOfferRoute = mergePatchRoute(offers);

export const deleteOfferRoute = deleteRoute(offers, {
  description: "Removes the offer's trigger zones from the index, then the offer.",
});

export const pauseOfferRoute = actionRoute(offers, "pause", {
  summary: "Pause an offer",
  description: "Its trigger zones leave the index: a paused offer never matches.",
  result: "Paused",
});

export const resumeOfferRoute = actionRoute(offers, "resume", {
  summary: "Resume an offer",
  description: "Indexes the offer's trigger zones again.",
  result: "Active",
});
