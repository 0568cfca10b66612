import { catalogHandler } from "../shared/http/route-handler.ts";
import { getStoreRoute } from "../shared/http/routes/catalog.ts";
import { getStore } from "../shared/use-cases/catalog/store-reads.ts";
import { catalogReadDepsFromEnv } from "../shared/wiring/catalog-read-deps.ts";

const deps = catalogReadDepsFromEnv();

/** GET /v1/stores/{storeId} — one of the caller's stores, with its index cell count. */
export const handler = catalogHandler.get(getStoreRoute, (req) =>
  getStore(deps, req.principal, req.id),
);
