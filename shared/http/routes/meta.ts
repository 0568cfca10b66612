/** Public routes: health, this API's OpenAPI document and the marketing dashboard's files. */
import * as z from "zod";
import { healthSchema } from "../../openapi/health-view.ts";
import { defineRoute, type RouteDefinition } from "../route-contract.ts";

/** A public GET of tag `meta`: no token, no body. */
function metaRoute<const R extends Omit<RouteDefinition, "method" | "auth" | "tag">>(route: R) {
  return defineRoute({ method: "GET", auth: "none", tag: "meta", ...route });
}

export const healthRoute = metaRoute({
  path: "/v1/health",
  fn: "health",
  rateLimit: 10,
  operationId: "getHealth",
  summary: "Whether DynamoDB and SNS answer",
  description: "Names a failing dependency, never its error text.",
  responses: {
    200: { description: "Every dependency answers", schema: healthSchema },
    503: { description: "A dependency is unavailable", schema: healthSchema },
  },
});

export const openApiRoute = metaRoute({
  path: "/v1/openapi.json",
  fn: "openapi",
  rateLimit: 10,
  operationId: "getOpenApi",
  summary: "This document",
  responses: {
    200: {
      description: "OpenAPI 3.1 document",
      schema: z.looseObject({ openapi: z.string(), paths: z.looseObject({}) }),
    },
  },
});

/**
 * A file of the marketing dashboard (same origin as the API: no CORS, one CSP), served by the
 * `dashboard` function: 200 with the file, 304 when `If-None-Match` still holds, 404.
 */
function dashboardFileRoute<
  const R extends Pick<RouteDefinition, "path" | "operationId" | "summary" | "request">,
>(route: R) {
  return metaRoute({
    fn: "dashboard",
    rateLimit: 50,
    ...route,
    responses: {
      200: { description: "The file", mediaType: "text/html" },
      304: { description: "Not modified (If-None-Match)" },
      404: { description: "No such file" },
    },
  });
}

export const dashboardRoute = dashboardFileRoute({
  path: "/dashboard",
  operationId: "getDashboard",
  summary: "The marketing dashboard (HTML; signs in with the merchant's Cognito user)",
});

export const dashboardAssetRoute = dashboardFileRoute({
  path: "/dashboard/{proxy+}",
  operationId: "getDashboardAsset",
  summary: "A file of the marketing dashboard (script, style, icon)",
  request: { path: z.object({ proxy: z.string().describe("File path below /dashboard/") }) },
});
