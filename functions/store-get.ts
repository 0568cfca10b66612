import middy from "@middy/core";
import { etag } from "../shared/domain/catalog/index.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal, getStore } from "../shared/use-cases/catalog.ts";
import { catalogDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = catalogDepsFromEnv();

/** GET /v1/stores/{storeId} — one of the caller's stores, with its index cell count. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "storeRead");
    const store = await getStore(deps, principal, event.pathParameters?.storeId);
    return json(200, store, { etag: etag(store.version) });
  });
