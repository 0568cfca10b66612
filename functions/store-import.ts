import { json, readHeader } from "../shared/http/middleware.ts";
import { routeHandler, routePrincipal } from "../shared/http/route-handler.ts";
import { importStoresRoute } from "../shared/http/routes/catalog.ts";
import { importJobPath, submitImport } from "../shared/use-cases/store-import.ts";
import { importDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = importDepsFromEnv();

/**
 * POST /v1/stores:import — a GeoJSON FeatureCollection of up to 5,000 stores becomes an import
 * job: 202 with the job and its `Location`; the same `Idempotency-Key` (or the same body) again
 * answers 200 with that job. Shape errors are a 400 listing every feature, and nothing is stored.
 */
export const handler = routeHandler(importStoresRoute, async (event) => {
  const principal = routePrincipal(importStoresRoute, event);
  const raw = event.body ?? "";
  const { view, replayed } = await submitImport(deps, principal, {
    rawBody: event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw,
    body: event.parsedBody,
    idempotencyKey: readHeader(event, "idempotency-key"),
  });
  return json(replayed ? 200 : 202, view, {
    location: importJobPath(view.jobId),
    ...(replayed ? { "idempotent-replayed": "true" } : {}),
  });
});
