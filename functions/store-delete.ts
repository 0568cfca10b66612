import middy from "@middy/core";
import { parseIfMatch } from "../shared/domain/catalog/index.ts";
import { http, readHeader } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal, deleteStore } from "../shared/use-cases/catalog.ts";
import { catalogDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = catalogDepsFromEnv();

/** DELETE /v1/stores/{storeId} — deletes a store no offer lists (409 otherwise). */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "write");
    const ifMatch = parseIfMatch(readHeader(event, "if-match"));
    await deleteStore(deps, principal, event.pathParameters?.storeId, ifMatch);
    return { statusCode: 204 };
  });
