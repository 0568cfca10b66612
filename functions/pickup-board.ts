import middy from "@middy/core";
import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { listStorePickups } from "../shared/use-cases/pickups/pickups.ts";
import { pickupDepsFromEnv } from "../shared/wiring/pickup-deps.ts";

const deps = pickupDepsFromEnv();

/**
 * GET /v1/stores/{storeId}/pickups — the staff board: the store's active pickups by promised
 * time, with state, readiness, arrival estimate and vehicle (store id or `code:<store code>`).
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    return json(200, await listStorePickups(deps, principal, event.pathParameters?.storeId), {
      "cache-control": "no-store",
    });
  });
