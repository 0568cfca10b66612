import middy from "@middy/core";
import { IMPORT_MAX_BODY_BYTES } from "../shared/domain/catalog/index.ts";
import { http, json, readHeader } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal } from "../shared/use-cases/catalog.ts";
import { importJobPath, submitImport } from "../shared/use-cases/store-import.ts";
import { importDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = importDepsFromEnv();

/**
 * POST /v1/stores:import — a GeoJSON FeatureCollection of up to 5,000 stores becomes an import
 * job: 202 with the job and its `Location`; the same `Idempotency-Key` (or the same body) again
 * answers 200 with that job. Shape errors are a 400 listing every feature, and nothing is stored.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: IMPORT_MAX_BODY_BYTES }))
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "write");
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
