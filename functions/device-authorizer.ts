import type { APIGatewayRequestAuthorizerEventV2 } from "aws-lambda";
import { bearerToken } from "../shared/auth/device-token.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { logger } from "../shared/logger.ts";
import { authorizeDevice } from "../shared/use-cases/devices.ts";
import { deviceAuthDepsFromEnv } from "../shared/wiring/device-deps.ts";

const deps = deviceAuthDepsFromEnv();

/** The exact message API Gateway turns into a 401 response. */
export const UNAUTHORIZED = "Unauthorized";

export interface DeviceAuthorizerResult {
  isAuthorized: boolean;
  context?: Record<string, string | number | boolean>;
}

/**
 * HTTP API Lambda authorizer (simple responses) for device routes: verifies the device token and
 * that the device is still registered, then hands the device context to the route's handler.
 * A bad token throws `Unauthorized`, which API Gateway answers with 401 (a `false` would be 403).
 */
export const handler = lambdaHandler<
  APIGatewayRequestAuthorizerEventV2,
  DeviceAuthorizerResult
>().handler(async (event) => {
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  try {
    const device = await authorizeDevice(deps, bearerToken(header));
    return {
      isAuthorized: true,
      context: {
        deviceId: device.deviceId,
        consentLocation: device.consentLocation,
        consentMarketing: device.consentMarketing,
        timeZone: device.timeZone ?? "",
        segments: JSON.stringify(device.segments),
        platform: device.platform,
        personRef: device.personRef ?? "",
        trustedSegments: JSON.stringify(device.trustedSegments ?? []),
        attested: device.attested === true,
        pickupRefs: JSON.stringify(device.pickupRefs ?? []),
      },
    };
  } catch (error) {
    if ((error as Error).name !== "UnauthorizedError") {
      logger.error("device authorizer failed", { error: error as Error });
      throw error;
    }
    throw new Error(UNAUTHORIZED);
  }
});
