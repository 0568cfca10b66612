import middy from "@middy/core";
import { http } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { openApiJson } from "../shared/openapi/document.ts";

/** Generated once per cold start: the document depends only on the code. */
const body = openApiJson();

/** GET /v1/openapi.json — the OpenAPI 3.1 document of the catalog API (public). */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async () => ({
    statusCode: 200,
    headers: { "content-type": "application/json", "cache-control": "public, max-age=300" },
    body,
  }));
