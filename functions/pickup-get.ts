import middy from "@middy/core";
import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { getPickup } from "../shared/use-cases/pickups/pickups.ts";
import { pickupDepsFromEnv } from "../shared/wiring/pickup-deps.ts";

const deps = pickupDepsFromEnv();

/** GET /v1/pickups/{pickupId} — one of the caller's pickups (another merchant's: 404). */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    return json(200, await getPickup(deps, principal, event.pathParameters?.pickupId));
  });
