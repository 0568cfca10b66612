import { devicePrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { claimLink } from "../shared/use-cases/o2o/claims.ts";
import { claimDepsFromEnv } from "../shared/wiring/o2o-deps.ts";

const deps = claimDepsFromEnv();

/**
 * POST /v1/claims — the device claims a link `{token}`: `granted` with a single-use code,
 * `held_out` (control group, no incentive) or `suppressed` with the reason. 404 unknown token,
 * 409 paused link, 410 expired link, 429 with `Retry-After` past the attempt limits.
 */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 1024 }))
  .handler(async (event) => {
    const device = devicePrincipal(event);
    return json(200, await claimLink(deps, device, event.parsedBody), {
      "cache-control": "no-store",
    });
  });
