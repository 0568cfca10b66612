import { devicePrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { exposeLink } from "../shared/use-cases/o2o/claims.ts";
import { claimDepsFromEnv } from "../shared/wiring/o2o-deps.ts";

const deps = claimDepsFromEnv();

/**
 * POST /v1/exposures — the app is about to show a link's in-app message `{token}`: answers
 * whether to show it (`treated`) or not (`held_out`, a ghost exposure of the control group).
 */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 1024 }))
  .handler(async (event) => {
    const device = devicePrincipal(event);
    return json(200, await exposeLink(deps, device, event.parsedBody), {
      "cache-control": "no-store",
    });
  });
