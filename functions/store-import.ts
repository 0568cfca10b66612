import middy from "@middy/core";
import { IMPORT_MAX_BODY_BYTES } from "../shared/domain/catalog/index.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal, importStores } from "../shared/use-cases/catalog.ts";
import { catalogDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = catalogDepsFromEnv();

/** POST /v1/stores:import — a GeoJSON FeatureCollection of up to 5,000 stores, all or nothing. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: IMPORT_MAX_BODY_BYTES }))
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "write");
    return json(201, await importStores(deps, principal, event.parsedBody));
  });
