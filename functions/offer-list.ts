import middy from "@middy/core";
import { offerListQuerySchema } from "../shared/domain/catalog/offer-state.ts";
import { http, json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal, listOffers } from "../shared/use-cases/catalog.ts";
import { offerDepsFromEnv } from "../shared/wiring/offer-deps.ts";

const deps = offerDepsFromEnv();

/** GET /v1/offers — the caller's offers with their state, a page at a time (`cursor`, `state`). */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "read");
    const query = parseWith(offerListQuerySchema, event.queryStringParameters ?? {});
    return json(200, await listOffers(deps, principal, query));
  });
