/**
 * Every route of the HTTP API, with its function and how callers authenticate. The CDK stack and
 * the local runner both read this list, so a route exists locally exactly when it deploys.
 */
export type RouteAuth = "none" | "jwt" | "device" | "appKey";

export interface RouteDefinition {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** File name (without .ts) under functions/. */
  fn: string;
  auth: RouteAuth;
  /** Requests per second allowed for the route (steady state). */
  rateLimit?: number;
}

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

export const ROUTES: RouteDefinition[] = [
  { method: "GET", path: "/v1/health", fn: "health", auth: "none", rateLimit: 10 },
  { method: "POST", path: "/v1/devices", fn: "device-register", auth: "appKey", rateLimit: 200 },
  { method: "GET", path: "/v1/devices/me", fn: "device-get", auth: "device" },
  { method: "PATCH", path: "/v1/devices/me", fn: "device-update", auth: "device" },
  {
    method: "POST",
    path: "/v1/devices/me/token",
    fn: "device-token",
    auth: "device",
    rateLimit: 50,
  },
  { method: "DELETE", path: "/v1/devices/me", fn: "device-erase", auth: "device" },
  { method: "POST", path: "/v1/pings", fn: "ping-ingest", auth: "device", rateLimit: 5000 },
  { method: "GET", path: "/v1/offers/nearby", fn: "offers-nearby", auth: "device", rateLimit: 500 },
  { method: "POST", path: "/v1/stores", fn: "store-create", auth: "jwt" },
  { method: "GET", path: "/v1/stores", fn: "store-list", auth: "jwt" },
  { method: "POST", path: "/v1/stores:import", fn: "store-import", auth: "jwt", rateLimit: 2 },
  { method: "GET", path: "/v1/store-imports/{jobId}", fn: "store-import-get", auth: "jwt" },
  { method: "GET", path: "/v1/stores/{storeId}", fn: "store-get", auth: "jwt" },
  { method: "PUT", path: "/v1/stores/{storeId}", fn: "store-update", auth: "jwt" },
  { method: "PATCH", path: "/v1/stores/{storeId}", fn: "store-patch", auth: "jwt" },
  { method: "DELETE", path: "/v1/stores/{storeId}", fn: "store-delete", auth: "jwt" },
  { method: "GET", path: "/v1/merchant/settings", fn: "merchant-settings-get", auth: "jwt" },
  { method: "PUT", path: "/v1/merchant/settings", fn: "merchant-settings-put", auth: "jwt" },
  { method: "POST", path: "/v1/offers", fn: "offer-create", auth: "jwt" },
  { method: "GET", path: "/v1/offers", fn: "offer-list", auth: "jwt" },
  { method: "GET", path: "/v1/offers/{offerId}", fn: "offer-get", auth: "jwt" },
  { method: "PUT", path: "/v1/offers/{offerId}", fn: "offer-update", auth: "jwt" },
  { method: "PATCH", path: "/v1/offers/{offerId}", fn: "offer-patch", auth: "jwt" },
  { method: "DELETE", path: "/v1/offers/{offerId}", fn: "offer-delete", auth: "jwt" },
  { method: "POST", path: "/v1/offers/{offerId}/pause", fn: "offer-pause", auth: "jwt" },
  { method: "POST", path: "/v1/offers/{offerId}/resume", fn: "offer-resume", auth: "jwt" },
  { method: "GET", path: "/v1/openapi.json", fn: "openapi", auth: "none", rateLimit: 10 },
  { method: "POST", path: "/v1/redemptions", fn: "redemption-create", auth: "jwt", rateLimit: 50 },
  { method: "GET", path: "/v1/conversions", fn: "conversions-list", auth: "jwt", rateLimit: 20 },
  {
    method: "GET",
    path: "/v1/reports/offers",
    fn: "report-offers",
    auth: "jwt",
    rateLimit: 20,
  },
  {
    method: "GET",
    path: "/v1/reports/offers/{offerId}",
    fn: "report-offer",
    auth: "jwt",
    rateLimit: 20,
  },
  {
    method: "GET",
    path: "/v1/reports/stores/{storeId}",
    fn: "report-store",
    auth: "jwt",
    rateLimit: 20,
  },
  // Online-to-offline: claim links per channel and variant, claims, exposures, channel report.
  { method: "POST", path: "/v1/offers/{offerId}/links", fn: "link-create", auth: "jwt" },
  { method: "GET", path: "/v1/offers/{offerId}/links", fn: "link-list", auth: "jwt" },
  {
    method: "PATCH",
    path: "/v1/offers/{offerId}/links/{linkId}",
    fn: "link-update",
    auth: "jwt",
  },
  { method: "POST", path: "/v1/claims", fn: "claim-create", auth: "device", rateLimit: 500 },
  { method: "POST", path: "/v1/claims/web", fn: "claim-web", auth: "none", rateLimit: 100 },
  { method: "POST", path: "/v1/exposures", fn: "exposure-create", auth: "device", rateLimit: 1000 },
  {
    method: "GET",
    path: "/v1/reports/channels",
    fn: "report-channels",
    auth: "jwt",
    rateLimit: 20,
  },
  {
    method: "GET",
    path: "/v1/reports/offers/{offerId}/channels",
    fn: "report-channels",
    auth: "jwt",
    rateLimit: 20,
  },
  // The marketing dashboard's static files (same origin as the API: no CORS, one CSP).
  { method: "GET", path: "/dashboard", fn: "dashboard", auth: "none", rateLimit: 50 },
  { method: "GET", path: "/dashboard/{proxy+}", fn: "dashboard", auth: "none", rateLimit: 50 },
];

/**
 * The function behind API Gateway's `$default` route (and the local runner's fallback): requests
 * no route matches get problem+json 404, or 405 with `Allow` when the path has other methods.
 */
export const FALLBACK_FUNCTION = "route-fallback";

/** Functions that are not behind a route of ROUTES (authorizers, the fallback, stream consumers). */
export const NON_ROUTE_FUNCTIONS = ["device-authorizer", FALLBACK_FUNCTION] as const;
