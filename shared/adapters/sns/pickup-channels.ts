import type { SNSClient } from "@aws-sdk/client-sns";
import type { PickupMessage } from "../../domain/pickup/message.ts";
import type { PickupChannels } from "../../use-cases/pickups/pickups.ts";
import { mobilePushPayload, publishJson, pushToEndpoint } from "./publish.ts";

/** The shopper's "your order is ready" push (APNs alert, FCM notification; ids in data). */
export function readyPushPayload(message: PickupMessage): string {
  const title = "Your order is ready";
  const body = `Order ${message.orderRef} is ready for pickup.`;
  const data = {
    pickupId: message.pickupId,
    storeId: message.storeId,
    eventType: message.eventType,
  };
  return mobilePushPayload(title, body, data);
}

/**
 * SNS adapter for `PickupChannels`: pickup messages go to the incentive topic with the
 * attributes store systems filter on (`eventType` = `pickup.<type>`, `merchantId`, `storeId`,
 * `pickupId`); `ready` is also pushed to the device's platform endpoint when it has one.
 */
export function snsPickupChannels(
  sns: SNSClient,
  config: {
    topicArn: string;
    /** The device's SNS platform endpoint, if it registered a push token. */
    endpointOf: (deviceId: string) => Promise<string | undefined>;
  },
): PickupChannels {
  return {
    async publish(message) {
      await publishJson(sns, config.topicArn, message, {
        eventType: message.eventType,
        merchantId: message.merchantId,
        storeId: message.storeId,
        pickupId: message.pickupId,
      });
    },
    async pushReady(deviceId, message) {
      const endpoint = await config.endpointOf(deviceId);
      if (!endpoint) return;
      await pushToEndpoint(sns, endpoint, readyPushPayload(message));
    },
  };
}
