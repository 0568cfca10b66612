import { devicePrincipal } from "../shared/auth/principal.ts";
import { updateDeviceSchema } from "../shared/domain/device.ts";
import { http, json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import { httpOptionsOf } from "../shared/http/route-handler.ts";
import { updateDeviceRoute } from "../shared/http/routes/devices.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { updateDevice } from "../shared/use-cases/devices.ts";
import { deviceDepsFromEnv } from "../shared/wiring/device-deps.ts";

const deps = deviceDepsFromEnv();

/** PATCH /v1/devices/me — consent, push token, locale, time zone, segments. */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http(httpOptionsOf(updateDeviceRoute)))
  .handler(async (event) => {
    const { deviceId } = devicePrincipal(event);
    const patch = parseWith(updateDeviceSchema, event.parsedBody);
    return json(200, await updateDevice(deps, deviceId, patch));
  });
