import middy from "@middy/core";
import { etag } from "../shared/domain/catalog/index.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal, getOffer } from "../shared/use-cases/catalog.ts";
import { offerDepsFromEnv } from "../shared/wiring/offer-deps.ts";

const deps = offerDepsFromEnv();

/** GET /v1/offers/{offerId} — one of the caller's offers, with its status and zone count. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "read");
    const offer = await getOffer(deps, principal, event.pathParameters?.offerId);
    return json(200, offer, { etag: etag(offer.version) });
  });
