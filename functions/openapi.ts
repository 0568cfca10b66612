// The checked-in document, generated from the zod schemas by scripts/openapi.ts and kept equal to
// them by test/unit/catalog/openapi.test.ts. Importing it (esbuild inlines the JSON) instead of
// generating it at cold start keeps zod's schema graph, h3-js, the time-zone map and luxon out of
// this function's bundle.
import document from "../docs/openapi.json" with { type: "json" };
import { http } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";

const body = JSON.stringify(document);

/** GET /v1/openapi.json — the OpenAPI 3.1 document of the catalog API (public). */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http())
  .handler(async () => ({
    statusCode: 200,
    headers: { "content-type": "application/json", "cache-control": "public, max-age=300" },
    body,
  }));
