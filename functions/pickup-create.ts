import { createPickupSchema } from "../shared/domain/pickup/requests.ts";
import { json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import { routeHandler, routePrincipal } from "../shared/http/route-handler.ts";
import { createPickupRoute } from "../shared/http/routes/pickups.ts";
import { createPickup } from "../shared/use-cases/pickups/pickups.ts";
import { pickupDepsFromEnv } from "../shared/wiring/pickup-deps.ts";

const deps = pickupDepsFromEnv();

/**
 * POST /v1/pickups — the merchant's backend creates a pickup order for one of its stores and
 * gets the one-time `attachToken` to hand to the shopper's app (shown once, never again).
 */
export const handler = routeHandler(createPickupRoute, async (event) => {
  const principal = routePrincipal(createPickupRoute, event);
  const input = parseWith(createPickupSchema, event.parsedBody);
  const pickup = await createPickup(deps, principal, input);
  return json(201, pickup, {
    location: `/v1/pickups/${pickup.pickupId}`,
    "cache-control": "no-store",
  });
});
