import middy from "@middy/core";
import { etag, parseIfMatch } from "../shared/domain/catalog/index.ts";
import { http, json, readHeader } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal, setOfferStatus } from "../shared/use-cases/catalog.ts";
import { offerDepsFromEnv } from "../shared/wiring/offer-deps.ts";

const deps = offerDepsFromEnv();

/** POST /v1/offers/{offerId}/pause — takes the offer's trigger zones out of matching. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ requireBody: false }))
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "write");
    const ifMatch = parseIfMatch(readHeader(event, "if-match"));
    const offerId = event.pathParameters?.offerId;
    const offer = await setOfferStatus(deps, principal, offerId, "paused", ifMatch);
    return json(200, offer, { etag: etag(offer.version) });
  });
