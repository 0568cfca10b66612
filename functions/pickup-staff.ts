import { json } from "../shared/http/middleware.ts";
import { routeHandler, routePrincipal } from "../shared/http/route-handler.ts";
import { readyPickupRoute } from "../shared/http/routes/pickups.ts";
import { checkStaffAction, staffUpdatePickup } from "../shared/use-cases/pickups/pickups.ts";
import { pickupDepsFromEnv } from "../shared/wiring/pickup-deps.ts";

const deps = pickupDepsFromEnv();

/**
 * POST /v1/pickups/{pickupId}/ready | /complete | /cancel — staff actions (the three routes share
 * roles and options). Repeating the action that already happened answers 200 unchanged; any
 * action on a pickup that ended otherwise, 409.
 */
export const handler = routeHandler(readyPickupRoute, async (event) => {
  const principal = routePrincipal(readyPickupRoute, event);
  const action = checkStaffAction(event.rawPath.split("/").pop());
  return json(
    200,
    await staffUpdatePickup(deps, principal, event.pathParameters?.pickupId, action),
  );
});
