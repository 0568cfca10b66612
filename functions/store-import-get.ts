import middy from "@middy/core";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal } from "../shared/use-cases/catalog.ts";
import { getImportJob } from "../shared/use-cases/store-import.ts";
import { importDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = importDepsFromEnv();

/** GET /v1/store-imports/{jobId} — status, progress and per-feature results of an import. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "read");
    const view = await getImportJob(deps, principal, event.pathParameters?.jobId);
    const done = view.status === "succeeded" || view.status === "failed";
    return json(200, view, done ? {} : { "retry-after": "2", "cache-control": "no-store" });
  });
