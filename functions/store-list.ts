import { catalogHandler } from "../shared/http/route-handler.ts";
import { listStoresRoute } from "../shared/http/routes/catalog.ts";
import { listStores } from "../shared/use-cases/catalog/store-reads.ts";
import { catalogReadDepsFromEnv } from "../shared/wiring/catalog-read-deps.ts";

const deps = catalogReadDepsFromEnv();

/**
 * GET /v1/stores — the caller's stores, a page at a time (opaque `cursor`); `?externalRef=`
 * finds the one store with that store code. POS staff may read too.
 */
export const handler = catalogHandler.list(listStoresRoute, (req, query) =>
  listStores(deps, req.principal, query),
);
