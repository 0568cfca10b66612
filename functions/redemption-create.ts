import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import { httpOptionsOf } from "../shared/http/route-handler.ts";
import { redeemRoute } from "../shared/http/routes/reports.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { redeemCode, redemptionInputSchema } from "../shared/use-cases/redemptions.ts";
import { redemptionDepsFromEnv } from "../shared/wiring/redemption-deps.ts";

const deps = redemptionDepsFromEnv();

/**
 * POST /v1/redemptions — a POS of the merchant in the token redeems `{code, storeId}`; returns
 * the offer title. 404 unknown code/store, 409 reused or offer not live, 410 expired, 429 (with
 * `Retry-After`) after repeated misses from the till or at the store.
 */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http(httpOptionsOf(redeemRoute)))
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const input = parseWith(redemptionInputSchema, event.parsedBody);
    return json(200, await redeemCode(deps, principal, input), { "cache-control": "no-store" });
  });
