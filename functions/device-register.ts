import { registerDeviceSchema } from "../shared/domain/device.ts";
import { http, json, readHeader } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import { httpOptionsOf } from "../shared/http/route-handler.ts";
import { registerDeviceRoute } from "../shared/http/routes/devices.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { registerDevice } from "../shared/use-cases/devices.ts";
import { deviceDepsFromEnv } from "../shared/wiring/device-deps.ts";

const deps = deviceDepsFromEnv();

/**
 * POST /v1/devices — app key in `x-app-key`; returns the device and its token. 429 with
 * `Retry-After` past the per-address or per-app registration limit.
 */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http(httpOptionsOf(registerDeviceRoute)))
  .handler(async (event) => {
    const input = parseWith(registerDeviceSchema, event.parsedBody);
    const result = await registerDevice(deps, readHeader(event, "x-app-key"), input, {
      sourceIp: event.requestContext.http?.sourceIp,
    });
    return json(201, result, { location: "/v1/devices/me" });
  });
