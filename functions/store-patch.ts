import middy from "@middy/core";
import { etag, parseIfMatch } from "../shared/domain/catalog/index.ts";
import { MERGE_PATCH_MEDIA_TYPE } from "../shared/http/merge-patch.ts";
import { http, json, readHeader } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal, patchStore } from "../shared/use-cases/catalog.ts";
import { catalogDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = catalogDepsFromEnv();

/**
 * PATCH /v1/stores/{storeId} — a JSON Merge Patch (RFC 7396, `application/merge-patch+json`):
 * members sent replace, `null` removes, absent members stay. `If-Match` is optional here.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 256 * 1024, contentTypes: [MERGE_PATCH_MEDIA_TYPE] }))
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "write");
    const ifMatch = parseIfMatch(readHeader(event, "if-match"));
    const id = event.pathParameters?.storeId;
    const store = await patchStore(deps, principal, id, event.parsedBody, ifMatch);
    return json(200, store, { etag: etag(store.version) });
  });
