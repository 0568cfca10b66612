import { json } from "../shared/http/middleware.ts";
import { routeHandler, routePrincipal } from "../shared/http/route-handler.ts";
import { pickupBoardRoute } from "../shared/http/routes/pickups.ts";
import { listStorePickups } from "../shared/use-cases/pickups/pickups.ts";
import { pickupDepsFromEnv } from "../shared/wiring/pickup-deps.ts";

const deps = pickupDepsFromEnv();

/**
 * GET /v1/stores/{storeId}/pickups — the staff board: the store's active pickups by promised
 * time, with state, readiness, arrival estimate and vehicle (store id or `code:<store code>`).
 */
export const handler = routeHandler(pickupBoardRoute, async (event) => {
  const principal = routePrincipal(pickupBoardRoute, event);
  return json(200, await listStorePickups(deps, principal, event.pathParameters?.storeId), {
    "cache-control": "no-store",
  });
});
