import { json } from "../shared/http/middleware.ts";
import { routeHandler, routePrincipal } from "../shared/http/route-handler.ts";
import { importStoresRoute } from "../shared/http/routes/catalog.ts";
import { importStores } from "../shared/use-cases/catalog.ts";
import { catalogDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = catalogDepsFromEnv();

/**
 * POST /v1/stores:import — a GeoJSON FeatureCollection of up to 5,000 stores, all or nothing.
 * The body is validated feature by feature by the use case, so every bad feature is named.
 */
export const handler = routeHandler(importStoresRoute, async (event) =>
  json(201, await importStores(deps, routePrincipal(importStoresRoute, event), event.parsedBody)),
);
