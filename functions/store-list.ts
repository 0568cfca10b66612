import middy from "@middy/core";
import { storeListQuerySchema } from "../shared/domain/catalog/index.ts";
import { http, json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal, listStores } from "../shared/use-cases/catalog.ts";
import { catalogDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = catalogDepsFromEnv();

/**
 * GET /v1/stores — the caller's stores, a page at a time (opaque `cursor`); `?externalRef=`
 * finds the one store with that store code. POS staff may read too.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "storeRead");
    const query = parseWith(storeListQuerySchema, event.queryStringParameters ?? {});
    return json(200, await listStores(deps, principal, query));
  });
