import { catalogHandler } from "../shared/http/route-handler.ts";
import { createStoreRoute } from "../shared/http/routes/catalog.ts";
import { createStore } from "../shared/use-cases/catalog/stores.ts";
import { catalogDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = catalogDepsFromEnv();

/** POST /v1/stores — creates a store; geocodes an address-only store, derives its time zone. */
export const handler = catalogHandler.create(
  createStoreRoute,
  (req, input) => createStore(deps, req.principal, input),
  (store) => `/v1/stores/${store.storeId}`,
);
