import { catalogHandler } from "../shared/http/route-handler.ts";
import { replaceStoreRoute } from "../shared/http/routes/catalog.ts";
import { replaceStore } from "../shared/use-cases/catalog/stores.ts";
import { catalogDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = catalogDepsFromEnv();

/** PUT /v1/stores/{storeId} — replaces a store (If-Match required: 428 without it). */
export const handler = catalogHandler.replace(replaceStoreRoute, (req, input) =>
  replaceStore(deps, req.principal, req.id, input, req.ifMatch),
);
