import { devicePrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { getOwnDevice } from "../shared/use-cases/devices.ts";
import { deviceDepsFromEnv } from "../shared/wiring/device-deps.ts";

const deps = deviceDepsFromEnv();

/** GET /v1/devices/me — the calling device's own record (no push token, no secrets). */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const { deviceId } = devicePrincipal(event);
    return json(200, await getOwnDevice(deps, deviceId));
  });
