import { catalogHandler } from "../shared/http/route-handler.ts";
import { patchStoreRoute } from "../shared/http/routes/catalog.ts";
import { patchStore } from "../shared/use-cases/catalog/stores.ts";
import { catalogDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = catalogDepsFromEnv();

/**
 * PATCH /v1/stores/{storeId} — a JSON Merge Patch (RFC 7396, `application/merge-patch+json`):
 * members sent replace, `null` removes, absent members stay. `If-Match` is optional here.
 */
export const handler = catalogHandler.patch(patchStoreRoute, (req, patch) =>
  patchStore(deps, req.principal, req.id, patch, req.ifMatch),
);
