import type { MiddlewareObj } from "@middy/core";
import middy from "@middy/core";
import { merchantPrincipal } from "../shared/auth/principal.ts";
import { TooManyRequestsError } from "../shared/errors.ts";
import { http, json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import type { Context, HttpEvent, HttpResult } from "../shared/http/types.ts";
import { redeemCode, redemptionInputSchema } from "../shared/use-cases/redemptions.ts";
import { redemptionDepsFromEnv } from "../shared/wiring/redemption-deps.ts";

const deps = redemptionDepsFromEnv();

/** Adds `Retry-After` to the 429 problem the http middleware rendered (its onError runs first). */
const retryAfter: MiddlewareObj<HttpEvent, HttpResult, Error, Context> = {
  onError: (request) => {
    const error = request.error;
    const seconds =
      error instanceof TooManyRequestsError ? error.extensions?.retryAfterSeconds : undefined;
    if (request.response && typeof seconds === "number") {
      request.response.headers = { ...request.response.headers, "retry-after": String(seconds) };
    }
  },
};

/**
 * POST /v1/redemptions — a POS of the merchant in the token redeems `{code, storeId}`; returns
 * the offer title. 404 unknown code/store, 409 reused, 410 expired, 429 after repeated misses.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(retryAfter)
  .use(http({ maxBodyBytes: 4 * 1024 }))
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const input = parseWith(redemptionInputSchema, event.parsedBody);
    return json(200, await redeemCode(deps, principal, input), { "cache-control": "no-store" });
  });
