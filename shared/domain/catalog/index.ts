/**
 * The merchant catalog (pure): stores and offers, their request schemas and views.
 *
 * Not re-exported here, so that every function reading the catalog stays small: building a store
 * (store-build.ts, with the time zone map, time-zone.ts) and the zones and their H3 covers
 * (zones.ts, h3-js). esbuild keeps a module with side effects (both libraries) in any bundle that
 * imports a module re-exporting it, used or not; the functions writing the catalog import those
 * modules directly.
 */

export {
  bayZoneIds,
  bayZones,
  checkPickupBays,
  MAX_PICKUP_BAY_OFFSET_M,
  MAX_PICKUP_BAY_RADIUS_M,
  MAX_PICKUP_BAYS,
  PICKUP_BAY_RADIUS_BOUNDS,
  type PickupBay,
  pickupBaysSchema,
} from "./bays.ts";
export {
  catalogKeys,
  isCatalogId,
  latLonSchema,
  OFFER_ID_PREFIX,
  STORE_ID_PREFIX,
  storeIdSchema,
  timeZoneSchema,
  type Versioned,
} from "./common.ts";
export {
  DEFAULT_POINT_RADIUS_M,
  IMPORT_MAX_BODY_BYTES,
  type ImportIssue,
  type ImportParse,
  importPropertiesSchema,
  MAX_IMPORT_FEATURES,
  parseStoreImport,
  storeImportSchema,
} from "./import.ts";
export {
  bodyHashOf,
  IDEMPOTENCY_WINDOW_MS,
  IMPORT_JOB_PREFIX,
  IMPORT_LEASE_MS,
  type ImportChunk,
  type ImportJob,
  type ImportJobStatus,
  type ImportJobView,
  type ImportOutcome,
  type ImportPhase,
  type ImportProgress,
  type ImportResult,
  importedStoreId,
  importJobView,
  MAX_CHUNK_FEATURES,
  MAX_CHUNK_STORED_BYTES,
  MAX_JOB_ERRORS,
  planChunks,
  WORKER_RESERVE_MS,
} from "./import-job.ts";
export {
  buildOffer,
  DEFAULT_TRIGGER_DWELL_SECONDS,
  MAX_STORES_PER_OFFER,
  type Offer,
  type OfferFacts,
  type OfferInput,
  type OfferView,
  offerInputOf,
  offerInputSchema,
  offerView,
  storeRadiusSchema,
  TRIGGER_RADIUS_BOUNDS,
  type TriggerZone,
  toDecisionOffer,
  triggerRadiusOf,
  triggerZoneSchema,
} from "./offer.ts";
export {
  DEFAULT_PAGE_SIZE,
  type ListQuery,
  listQuerySchema,
  MAX_PAGE_SIZE,
  storeListQuerySchema,
} from "./requests.ts";
export {
  DEFAULT_FOOTPRINT_RADIUS_M,
  FOOTPRINT_RADIUS_BOUNDS,
  type FootprintSource,
  footprintSchema,
  type LocationSource,
  MAX_LOCATION_OFFSET_M,
  normalizeAt,
  prefixIssues,
  type Store,
  type StoreFacts,
  type StoreInput,
  type StoreView,
  storeInputOf,
  storeInputSchema,
  storeView,
  zoneCentre,
} from "./store.ts";
