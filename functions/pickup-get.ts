import { json } from "../shared/http/middleware.ts";
import { routeHandler, routePrincipal } from "../shared/http/route-handler.ts";
import { getPickupRoute } from "../shared/http/routes/pickups.ts";
import { getPickup } from "../shared/use-cases/pickups/pickups.ts";
import { pickupDepsFromEnv } from "../shared/wiring/pickup-deps.ts";

const deps = pickupDepsFromEnv();

/** GET /v1/pickups/{pickupId} — one of the caller's pickups (another merchant's: 404). */
export const handler = routeHandler(getPickupRoute, async (event) => {
  const principal = routePrincipal(getPickupRoute, event);
  return json(200, await getPickup(deps, principal, event.pathParameters?.pickupId));
});
