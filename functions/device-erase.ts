import { devicePrincipal } from "../shared/auth/principal.ts";
import { http } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { eraseDevice } from "../shared/use-cases/devices.ts";
import { eraseDepsFromEnv } from "../shared/wiring/device-deps.ts";

const deps = eraseDepsFromEnv();

/** DELETE /v1/devices/me — erases everything stored for the calling device. */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const { deviceId } = devicePrincipal(event);
    await eraseDevice(deps, deviceId);
    return { statusCode: 204 };
  });
