import {
  CreatePlatformEndpointCommand,
  DeleteEndpointCommand,
  GetEndpointAttributesCommand,
  SetEndpointAttributesCommand,
  type SNSClient,
} from "@aws-sdk/client-sns";
import type { Device } from "../../domain/device.ts";
import type { PushRegistry } from "../../use-cases/devices.ts";

/** SNS platform applications per device platform; an absent ARN turns push off for it. */
export interface PushPlatformConfig {
  /** `arn:aws:sns:…:app/APNS/…` or `…:app/APNS_SANDBOX/…` (ios devices). */
  apnsPlatformApplicationArn?: string | undefined;
  /** `arn:aws:sns:…:app/GCM/…` (android devices, FCM). */
  fcmPlatformApplicationArn?: string | undefined;
}

/** SNS answers a create for a token it knows under other attributes with this, naming the ARN. */
const EXISTING_ENDPOINT = /Endpoint (arn:aws[a-z-]*:sns:\S+) already exists with the same Token/i;

const isNotFound = (error: unknown) => (error as Error).name === "NotFoundException";

/** The endpoints of an application live under `…:endpoint/<platform>/<app>/<id>`. */
function belongsTo(endpointArn: string, applicationArn: string): boolean {
  return endpointArn.startsWith(`${applicationArn.replace(":app/", ":endpoint/")}/`);
}

/**
 * `PushRegistry` over SNS platform applications, following AWS's token-management recipe: create
 * the endpoint once, then on every sync read it back and repair it (new token, disabled after an
 * APNs/FCM feedback, deleted behind our back), so a push never goes to a stale token. Devices on a
 * platform without a configured application get no endpoint (`undefined`).
 */
export function snsPushRegistry(sns: SNSClient, config: PushPlatformConfig): PushRegistry {
  const applicationFor = (device: Device): string | undefined => {
    if (device.platform === "ios") return config.apnsPlatformApplicationArn || undefined;
    if (device.platform === "android") return config.fcmPlatformApplicationArn || undefined;
    return undefined;
  };

  async function create(applicationArn: string, device: Device, token: string): Promise<string> {
    try {
      const out = await sns.send(
        new CreatePlatformEndpointCommand({
          PlatformApplicationArn: applicationArn,
          Token: token,
          CustomUserData: device.deviceId,
        }),
      );
      if (!out.EndpointArn) throw new Error("CreatePlatformEndpoint returned no EndpointArn");
      return out.EndpointArn;
    } catch (error) {
      // The token already has an endpoint (e.g. a reinstall registered anew): adopt and repair it.
      const existing =
        (error as Error).name === "InvalidParameterException"
          ? EXISTING_ENDPOINT.exec((error as Error).message ?? "")?.[1]
          : undefined;
      if (!existing) throw error;
      await sns.send(
        new SetEndpointAttributesCommand({
          EndpointArn: existing,
          Attributes: { Token: token, Enabled: "true", CustomUserData: device.deviceId },
        }),
      );
      return existing;
    }
  }

  async function removeQuietly(endpointArn: string): Promise<void> {
    try {
      await sns.send(new DeleteEndpointCommand({ EndpointArn: endpointArn }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  return {
    async sync(device) {
      const applicationArn = applicationFor(device);
      const token = device.pushToken;
      if (!applicationArn || !token) return undefined;
      let endpointArn = device.pushEndpointArn;
      if (endpointArn && !belongsTo(endpointArn, applicationArn)) {
        // The platform application changed (e.g. sandbox → production): the old endpoint is useless.
        await removeQuietly(endpointArn);
        endpointArn = undefined;
      }
      // Two rounds at most: the stored endpoint, then a fresh one if SNS deleted the stored one.
      for (let round = 0; round < 2; round++) {
        endpointArn ??= await create(applicationArn, device, token);
        let attributes: Record<string, string>;
        try {
          const out = await sns.send(
            new GetEndpointAttributesCommand({ EndpointArn: endpointArn }),
          );
          attributes = out.Attributes ?? {};
        } catch (error) {
          if (!isNotFound(error)) throw error;
          // Deleted meanwhile (SNS drops endpoints of uninstalled apps): create it again.
          endpointArn = undefined;
          continue;
        }
        if (attributes.Token !== token || attributes.Enabled !== "true") {
          await sns.send(
            new SetEndpointAttributesCommand({
              EndpointArn: endpointArn,
              Attributes: { Token: token, Enabled: "true" },
            }),
          );
        }
        return endpointArn;
      }
      throw new Error("the platform endpoint disappeared right after it was created");
    },

    async remove(endpointArn) {
      await removeQuietly(endpointArn);
    },
  };
}
