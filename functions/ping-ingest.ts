import { bearerToken } from "../shared/auth/device-token.ts";
import { pingBatchSchema } from "../shared/domain/ping.ts";
import { http, json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import { httpOptionsOf } from "../shared/http/route-handler.ts";
import { ingestPingsRoute } from "../shared/http/routes/pings.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { logger } from "../shared/logger.ts";
import { count, countOutcome } from "../shared/metrics.ts";
import { ingestDevicePings } from "../shared/use-cases/pings/ingest-pings.ts";
import { zoneEventSinkFromEnv } from "../shared/wiring/event-sink-deps.ts";
import { pingDepsFromEnv } from "../shared/wiring/ping-deps.ts";

const deps = pingDepsFromEnv(
  zoneEventSinkFromEnv(process.env, (outcome, n) => countOutcome(outcome, n ?? 1)),
);

/**
 * POST /v1/pings — 1–100 pings; bad pings are reported per index, the rest processed (202).
 * The route has no Lambda authorizer (auth `deviceByFunction`): the device token is verified here,
 * before anything is read, and the profile comes in the same read as the visit state.
 */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http(httpOptionsOf(ingestPingsRoute)))
  .handler(async (event) => {
    const token = bearerToken(event.headers.authorization ?? event.headers.Authorization);
    // The body is parsed once the device is admitted: a refused token is a 401, whatever it sent.
    const result = await ingestDevicePings(
      deps,
      token,
      () => parseWith(pingBatchSchema, event.parsedBody).pings,
    );
    count("PingsAccepted", result.accepted);
    count("PingsRejected", result.rejected.length);
    count("ZoneEvents", result.events.length);
    if (result.stats)
      count("PingsFlagged", result.stats.flaggedMock + result.stats.flaggedTeleport);
    logger.info("pings processed", {
      accepted: result.accepted,
      rejected: result.rejected.length,
      events: result.events.length,
      stateRead: result.stateRead,
      ...(result.stats ? { stats: result.stats } : {}),
    });
    return json(202, {
      accepted: result.accepted,
      rejected: result.rejected,
      events: result.events.map((e) => ({
        type: e.type,
        kind: e.kind,
        storeId: e.storeId,
        ...(e.offerId ? { offerId: e.offerId } : {}),
        at: new Date(e.at).toISOString(),
      })),
      incentives: result.incentives,
    });
  });
