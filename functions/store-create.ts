import middy from "@middy/core";
import { etag, storeInputSchema } from "../shared/domain/catalog/index.ts";
import { http, json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal, createStore } from "../shared/use-cases/catalog.ts";
import { catalogDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = catalogDepsFromEnv();

/** POST /v1/stores — creates a store; geocodes an address-only store, derives its time zone. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 256 * 1024 }))
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "write");
    const input = parseWith(storeInputSchema, event.parsedBody);
    const store = await createStore(deps, principal, input);
    return json(201, store, { location: `/v1/stores/${store.storeId}`, etag: etag(store.version) });
  });
