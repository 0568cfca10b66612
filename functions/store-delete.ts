import { catalogHandler } from "../shared/http/route-handler.ts";
import { deleteStoreRoute } from "../shared/http/routes/catalog.ts";
import { deleteStore } from "../shared/use-cases/catalog/stores.ts";
import { catalogDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = catalogDepsFromEnv();

/** DELETE /v1/stores/{storeId} — deletes a store no offer lists (409 otherwise). */
export const handler = catalogHandler.remove(deleteStoreRoute, (req) =>
  deleteStore(deps, req.principal, req.id, req.ifMatch),
);
