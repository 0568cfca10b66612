import middy from "@middy/core";
import { registerDeviceSchema } from "../shared/domain/device.ts";
import { http, json, readHeader } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { registerDevice } from "../shared/use-cases/devices.ts";
import { deviceDepsFromEnv } from "../shared/wiring/device-deps.ts";

const deps = deviceDepsFromEnv();

/** POST /v1/devices — app key in `x-app-key`; returns the device and its token. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 16 * 1024 }))
  .handler(async (event) => {
    const input = parseWith(registerDeviceSchema, event.parsedBody);
    const result = await registerDevice(deps, readHeader(event, "x-app-key"), input);
    return json(201, result, { location: "/v1/devices/me" });
  });
