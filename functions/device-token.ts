import { devicePrincipal } from "../shared/auth/principal.ts";
import { refreshTokenSchema } from "../shared/domain/device.ts";
import { http, json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import { httpOptionsOf } from "../shared/http/route-handler.ts";
import { refreshDeviceTokenRoute } from "../shared/http/routes/devices.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { refreshDeviceToken } from "../shared/use-cases/devices.ts";
import { deviceDepsFromEnv } from "../shared/wiring/device-deps.ts";

const deps = deviceDepsFromEnv();

/**
 * POST /v1/devices/me/token — a fresh device token before the current one expires; body
 * optional (`{"revokeEarlier": true}` also revokes the device's earlier tokens).
 */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http(httpOptionsOf(refreshDeviceTokenRoute)))
  .handler(async (event) => {
    const { deviceId } = devicePrincipal(event);
    const input = parseWith(refreshTokenSchema, event.parsedBody ?? {});
    return json(200, await refreshDeviceToken(deps, deviceId, input));
  });
