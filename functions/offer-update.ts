import middy from "@middy/core";
import { etag, offerInputSchema, requireIfMatch } from "../shared/domain/catalog/index.ts";
import { http, json, readHeader } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal, replaceOffer } from "../shared/use-cases/catalog.ts";
import { offerDepsFromEnv } from "../shared/wiring/offer-deps.ts";

const deps = offerDepsFromEnv();

/** PUT /v1/offers/{offerId} — replaces an offer (If-Match required: 428 without it). */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 256 * 1024 }))
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "write");
    const ifMatch = requireIfMatch(readHeader(event, "if-match"));
    const input = parseWith(offerInputSchema, event.parsedBody);
    const offerId = event.pathParameters?.offerId;
    const offer = await replaceOffer(deps, principal, offerId, input, ifMatch);
    return json(200, offer, { etag: etag(offer.version) });
  });
