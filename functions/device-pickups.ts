import { devicePrincipal } from "../shared/auth/principal.ts";
import { attachPickupSchema } from "../shared/domain/pickup/requests.ts";
import { ValidationError } from "../shared/errors.ts";
import { json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import { routeHandler } from "../shared/http/route-handler.ts";
import { arrivedOwnPickupRoute } from "../shared/http/routes/pickups.ts";
import {
  attachPickupToDevice,
  deviceArrived,
  devicePickup,
} from "../shared/use-cases/pickups/pickups.ts";
import { pickupDepsFromEnv } from "../shared/wiring/pickup-deps.ts";

const deps = pickupDepsFromEnv();

/**
 * The shopper's side of a pickup order:
 * - POST /v1/devices/me/pickups `{attachToken}` — attaches the order to this device (once);
 * - GET /v1/devices/me/pickups/{pickupId} — its state;
 * - POST /v1/devices/me/pickups/{pickupId}/arrived — "I'm here", without location.
 */
export const handler = routeHandler(
  // The three routes share the body limit; the body is checked per route below.
  { ...arrivedOwnPickupRoute, bodyLimit: 4 * 1024 },
  async (event) => {
    const device = devicePrincipal(event);
    const pickupId = event.pathParameters?.pickupId;
    const method = event.requestContext.http.method;
    if (pickupId === undefined) {
      if (event.parsedBody === undefined) {
        throw ValidationError.field("(body)", "a JSON body is required");
      }
      const { attachToken } = parseWith(attachPickupSchema, event.parsedBody);
      const pickup = await attachPickupToDevice(deps, device, attachToken);
      return json(201, pickup, { location: `/v1/devices/me/pickups/${pickup.pickupId}` });
    }
    if (method === "GET") return json(200, await devicePickup(deps, device, pickupId));
    return json(200, await deviceArrived(deps, device, pickupId));
  },
);
