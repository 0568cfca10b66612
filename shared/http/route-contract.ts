/**
 * The shape of one route of the HTTP API as the route table (infra/routes.ts) declares it. The
 * same declaration feeds the CDK stack (routes, authorizers, throttling), the local runner's
 * router, the OpenAPI document (scripts/openapi.ts) and the handlers built by
 * shared/http/route-handler.ts (body limit, media types, roles, request schemas), so a route
 * cannot be deployed, served, documented and validated four different ways.
 */
import type * as z from "zod";
import type { Role } from "../auth/principal.ts";

/**
 * How a caller authenticates: `none` (public), `jwt` (merchant Cognito ID token, API Gateway JWT
 * authorizer), `device` (device bearer token, Lambda authorizer), `deviceByFunction` (the same
 * device bearer token, verified by the function itself: no authorizer is attached, so the route's
 * one DynamoDB read of the device profile is folded into the function's own reads and never
 * served from API Gateway's decision cache), `appKey` (the app's key in `x-app-key`, checked by
 * the function itself).
 */
export type RouteAuth = "none" | "jwt" | "device" | "deviceByFunction" | "appKey";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A response the route may give for one status. */
export interface ResponseSpec {
  description: string;
  /** JSON body schema; omitted for an empty body (204) or a problem (4xx/5xx: RFC 9457). */
  schema?: z.ZodType;
  /** Media type of the body when not `application/json`. */
  mediaType?: string;
  /** The route also answers `Accept: text/csv` with this status. */
  csv?: boolean;
  /** Response headers worth documenting (name → description). */
  headers?: Record<string, string>;
}

/** What the route reads from the request, each part validated by its zod schema. */
export interface RequestSpec {
  /** Path parameters (`{storeId}`). */
  path?: z.ZodObject;
  /** Query string parameters. */
  query?: z.ZodObject;
  /** Request headers the route reads (If-Match, x-app-key, Accept). */
  headers?: z.ZodObject;
  /** JSON body. */
  body?: z.ZodType;
  /** Media types accepted for the body; default `application/json` (and any `+json`). */
  bodyMediaTypes?: readonly string[];
  /** The body may be omitted (POST/PUT/PATCH require one otherwise). */
  bodyOptional?: boolean;
}

export interface RouteDefinition {
  method: HttpMethod;
  path: string;
  /** File name (without .ts) under functions/. */
  fn: string;
  auth: RouteAuth;
  /** Requests per second allowed for the route (steady state). */
  rateLimit?: number;
  /** Merchant roles, any of which the token's `cognito:groups` must hold (jwt routes). */
  roles?: readonly Role[];
  /** OpenAPI operationId (camelCase, unique). */
  operationId?: string;
  summary?: string;
  description?: string;
  /** OpenAPI tag (group) of the operation. */
  tag?: string;
  /** Largest accepted body in bytes (after base64 decoding); default 1 MiB. */
  bodyLimit?: number;
  request?: RequestSpec;
  /** Every status the route answers, with its body. */
  responses?: Record<number, ResponseSpec>;
  /** Left out of the OpenAPI document (the dashboard's static files). */
  undocumented?: string;
}

/** Declares a route, keeping its literal type for the handler factories. */
export function defineRoute<const R extends RouteDefinition>(route: R): R {
  return route;
}

/** The name of the route's single path parameter (`{storeId}` → `storeId`), if any. */
export function pathParameterName(route: Pick<RouteDefinition, "path">): string | undefined {
  const names = [...route.path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1] as string);
  return names.at(-1);
}
