import middy from "@middy/core";
import { etag, requireIfMatch, storeInputSchema } from "../shared/domain/catalog/index.ts";
import { http, json, readHeader } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal, replaceStore } from "../shared/use-cases/catalog.ts";
import { catalogDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = catalogDepsFromEnv();

/** PUT /v1/stores/{storeId} — replaces a store (If-Match required: 428 without it). */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 256 * 1024 }))
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "write");
    const ifMatch = requireIfMatch(readHeader(event, "if-match"));
    const input = parseWith(storeInputSchema, event.parsedBody);
    const storeId = event.pathParameters?.storeId;
    const store = await replaceStore(deps, principal, storeId, input, ifMatch);
    return json(200, store, { etag: etag(store.version) });
  });
