import middy from "@middy/core";
import { ROUTES } from "../infra/routes.ts";
import { http } from "../shared/http/middleware.ts";
import { unmatchedRouteError } from "../shared/http/route-match.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";

/**
 * The API's `$default` route: every request no route matches gets a problem+json answer, 405
 * with `Allow` when the path exists under other methods, 404 otherwise (instead of API Gateway's
 * bare `{"message":"Not Found"}`). Reads nothing and writes nothing.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ ignoreBody: true }))
  .handler(async (event) => {
    throw unmatchedRouteError(
      ROUTES,
      event.requestContext?.http?.method ?? "GET",
      event.requestContext?.http?.path ?? event.rawPath,
    );
  });
