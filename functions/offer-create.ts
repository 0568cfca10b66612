import middy from "@middy/core";
import { etag, offerInputSchema } from "../shared/domain/catalog/index.ts";
import { http, json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal, createOffer } from "../shared/use-cases/catalog.ts";
import { offerDepsFromEnv } from "../shared/wiring/offer-deps.ts";

const deps = offerDepsFromEnv();

/** POST /v1/offers — creates an active offer and indexes its trigger zones. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 256 * 1024 }))
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "write");
    const input = parseWith(offerInputSchema, event.parsedBody);
    const offer = await createOffer(deps, principal, input);
    return json(201, offer, { location: `/v1/offers/${offer.offerId}`, etag: etag(offer.version) });
  });
