import { json } from "../shared/http/middleware.ts";
import { routeHandler, routePrincipal } from "../shared/http/route-handler.ts";
import { getStoreImportRoute } from "../shared/http/routes/catalog.ts";
import { getImportJob } from "../shared/use-cases/store-import.ts";
import { importDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = importDepsFromEnv();

/** GET /v1/store-imports/{jobId} — status, progress and per-feature results of an import. */
export const handler = routeHandler(getStoreImportRoute, async (event) => {
  const principal = routePrincipal(getStoreImportRoute, event);
  const view = await getImportJob(deps, principal, event.pathParameters?.jobId);
  const done = view.status === "succeeded" || view.status === "failed";
  return json(200, view, done ? {} : { "retry-after": "2", "cache-control": "no-store" });
});
