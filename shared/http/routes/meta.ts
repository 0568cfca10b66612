/** Public routes: health, this API's OpenAPI document and the marketing dashboard's files. */
import * as z from "zod";
import { healthSchema } from "../../openapi/health-view.ts";
import { defineRoute } from "../route-contract.ts";

export const healthRoute = defineRoute({
  method: "GET",
  path: "/v1/health",
  fn: "health",
  auth: "none",
  rateLimit: 10,
  operationId: "getHealth",
  tag: "meta",
  summary: "Whether DynamoDB and SNS answer",
  description: "Names a failing dependency, never its error text.",
  responses: {
    200: { description: "Every dependency answers", schema: healthSchema },
    503: { description: "A dependency is unavailable", schema: healthSchema },
  },
});

export const openApiRoute = defineRoute({
  method: "GET",
  path: "/v1/openapi.json",
  fn: "openapi",
  auth: "none",
  rateLimit: 10,
  operationId: "getOpenApi",
  tag: "meta",
  summary: "This document",
  responses: {
    200: {
      description: "OpenAPI 3.1 document",
      schema: z.looseObject({ openapi: z.string(), paths: z.looseObject({}) }),
    },
  },
});

const dashboardResponses = {
  200: { description: "The file", mediaType: "text/html" },
  304: { description: "Not modified (If-None-Match)" },
  404: { description: "No such file" },
};

// The marketing dashboard's static files (same origin as the API: no CORS, one CSP).
export const dashboardRoute = defineRoute({
  method: "GET",
  path: "/dashboard",
  fn: "dashboard",
  auth: "none",
  rateLimit: 50,
  operationId: "getDashboard",
  tag: "meta",
  summary: "The marketing dashboard (HTML; signs in with the merchant's Cognito user)",
  responses: dashboardResponses,
});

export const dashboardAssetRoute = defineRoute({
  method: "GET",
  path: "/dashboard/{proxy+}",
  fn: "dashboard",
  auth: "none",
  rateLimit: 50,
  operationId: "getDashboardAsset",
  tag: "meta",
  summary: "A file of the marketing dashboard (script, style, icon)",
  request: { path: z.object({ proxy: z.string().describe("File path below /dashboard/") }) },
  responses: dashboardResponses,
});
