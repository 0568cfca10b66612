import middy from "@middy/core";
import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { checkStaffAction, staffUpdatePickup } from "../shared/use-cases/pickups/pickups.ts";
import { pickupDepsFromEnv } from "../shared/wiring/pickup-deps.ts";

const deps = pickupDepsFromEnv();

/**
 * POST /v1/pickups/{pickupId}/ready | /complete | /cancel — staff actions. Repeating the action
 * that already happened answers 200 unchanged; any action on a pickup that ended otherwise, 409.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ requireBody: false }))
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const action = checkStaffAction(event.rawPath.split("/").pop());
    return json(
      200,
      await staffUpdatePickup(deps, principal, event.pathParameters?.pickupId, action),
    );
  });
