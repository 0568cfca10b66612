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

export const ROUTES: RouteDefinition[] = [
  { method: "GET", path: "/v1/health", fn: "health", auth: "none", rateLimit: 10 },
  { method: "POST", path: "/v1/devices", fn: "device-register", auth: "appKey", rateLimit: 200 },
  { method: "PATCH", path: "/v1/devices/me", fn: "device-update", auth: "device" },
  { method: "DELETE", path: "/v1/devices/me", fn: "device-erase", auth: "device" },
  { method: "POST", path: "/v1/pings", fn: "ping-ingest", auth: "device", rateLimit: 5000 },
];

/** Functions that are not behind a route (authorizers, stream consumers, schedulers). */
export const NON_ROUTE_FUNCTIONS = ["device-authorizer"] as const;
