/**
 * Every route of the HTTP API, with its function and how callers authenticate. The CDK stack, the
 * local runner and the OpenAPI document all read this list, so a route exists locally exactly
 * when it deploys, and is documented as it is served.
 */
import type { RouteDefinition } from "../shared/http/route-contract.ts";
import { uploadAudienceMembersRoute } from "../shared/http/routes/audiences.ts";
import {
  createOfferRoute,
  createStoreRoute,
  deleteOfferRoute,
  deleteStoreRoute,
  getMerchantSettingsRoute,
  getOfferRoute,
  getStoreImportRoute,
  getStoreRoute,
  importStoresRoute,
  listOffersRoute,
  listStoresRoute,
  patchOfferRoute,
  patchStoreRoute,
  pauseOfferRoute,
  putMerchantSettingsRoute,
  replaceOfferRoute,
  replaceStoreRoute,
  resumeOfferRoute,
} from "../shared/http/routes/catalog.ts";
import {
  channelReportRoute,
  offerChannelReportRoute,
} from "../shared/http/routes/channel-reports.ts";
import {
  eraseDeviceRoute,
  getDeviceRoute,
  refreshDeviceTokenRoute,
  registerDeviceRoute,
  updateDeviceRoute,
} from "../shared/http/routes/devices.ts";
import {
  dashboardAssetRoute,
  dashboardRoute,
  healthRoute,
  openApiRoute,
} from "../shared/http/routes/meta.ts";
import {
  claimLinkFromWebRoute,
  claimLinkRoute,
  createLinkRoute,
  listLinksRoute,
  reportExposureRoute,
  updateLinkRoute,
} from "../shared/http/routes/o2o.ts";
import {
  arrivedOwnPickupRoute,
  attachPickupRoute,
  cancelPickupRoute,
  completePickupRoute,
  createPickupRoute,
  getOwnPickupRoute,
  getPickupRoute,
  pickupBoardRoute,
  pickupReportRoute,
  readyPickupRoute,
} from "../shared/http/routes/pickups.ts";
import { ingestPingsRoute, nearbyOffersRoute } from "../shared/http/routes/pings.ts";
import {
  compareOffersRoute,
  journeyReportRoute,
  listConversionsRoute,
  offerReportRoute,
  redeemRoute,
  storeReportRoute,
} from "../shared/http/routes/reports.ts";

export type { RouteAuth, RouteDefinition } from "../shared/http/route-contract.ts";

/**
 * How API Gateway caches the device authorizer's decision, as deployed (infra/http-api.ts) and as
 * the local runner mirrors it (scripts/local/server.ts): keyed by the identity source (the
 * Authorization header), for `resultsCacheTtlS` seconds. A cached decision outlives changes to the
 * device (erasure, consent), which is why every write that could recreate data re-checks the
 * device in its own transaction.
 */
export const DEVICE_AUTHORIZER_CACHE = {
  /** Request header whose value is the cache key (`$request.header.Authorization`). */
  identityHeader: "Authorization",
  /** Seconds a decision is reused for the same header value. */
  resultsCacheTtlS: 60,
} as const;

/**
 * The route table. Each entry declares method, path, function, auth, roles, request schemas,
 * responses per status, body limit and rate limit (shared/http/route-contract.ts); routes are
 * declared by area in shared/http/routes/. test/unit/contract/openapi.test.ts fails when a
 * route lacks any of it or the OpenAPI document does not show it (with an example body).
 */
export const ROUTES: RouteDefinition[] = [
  healthRoute,
  registerDeviceRoute,
  getDeviceRoute,
  updateDeviceRoute,
  refreshDeviceTokenRoute,
  eraseDeviceRoute,
  ingestPingsRoute,
  nearbyOffersRoute,
  createStoreRoute,
  listStoresRoute,
  importStoresRoute,
  getStoreImportRoute,
  getStoreRoute,
  replaceStoreRoute,
  patchStoreRoute,
  deleteStoreRoute,
  getMerchantSettingsRoute,
  putMerchantSettingsRoute,
  uploadAudienceMembersRoute,
  createOfferRoute,
  listOffersRoute,
  getOfferRoute,
  replaceOfferRoute,
  patchOfferRoute,
  deleteOfferRoute,
  pauseOfferRoute,
  resumeOfferRoute,
  openApiRoute,
  redeemRoute,
  listConversionsRoute,
  compareOffersRoute,
  offerReportRoute,
  storeReportRoute,
  journeyReportRoute,
  createLinkRoute,
  listLinksRoute,
  updateLinkRoute,
  claimLinkRoute,
  claimLinkFromWebRoute,
  reportExposureRoute,
  channelReportRoute,
  offerChannelReportRoute,
  createPickupRoute,
  getPickupRoute,
  readyPickupRoute,
  completePickupRoute,
  cancelPickupRoute,
  pickupBoardRoute,
  pickupReportRoute,
  attachPickupRoute,
  getOwnPickupRoute,
  arrivedOwnPickupRoute,
  dashboardRoute,
  dashboardAssetRoute,
];

/**
 * The function behind API Gateway's `$default` route (and the local runner's fallback): requests
 * no route matches get problem+json 404, or 405 with `Allow` when the path has other methods.
 */
export const FALLBACK_FUNCTION = "route-fallback";

/** Functions that are not behind a route of ROUTES (authorizers, the fallback, stream consumers). */
export const NON_ROUTE_FUNCTIONS = ["device-authorizer", FALLBACK_FUNCTION] as const;
