import middy from "@middy/core";
import { etag, parseIfMatch } from "../shared/domain/catalog/index.ts";
import { MERGE_PATCH_MEDIA_TYPE } from "../shared/http/merge-patch.ts";
import { http, json, readHeader } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal, patchOffer } from "../shared/use-cases/catalog.ts";
import { offerDepsFromEnv } from "../shared/wiring/offer-deps.ts";

const deps = offerDepsFromEnv();

/**
 * PATCH /v1/offers/{offerId} — a JSON Merge Patch (RFC 7396, `application/merge-patch+json`):
 * members sent replace, `null` removes, absent members stay. `If-Match` is optional here.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 256 * 1024, contentTypes: [MERGE_PATCH_MEDIA_TYPE] }))
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "write");
    const ifMatch = parseIfMatch(readHeader(event, "if-match"));
    const id = event.pathParameters?.offerId;
    const offer = await patchOffer(deps, principal, id, event.parsedBody, ifMatch);
    return json(200, offer, { etag: etag(offer.version) });
  });
