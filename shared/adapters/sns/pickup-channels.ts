import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { PickupMessage } from "../../domain/pickup/message.ts";
import type { PickupChannels } from "../../use-cases/pickups/pickups.ts";

/** The shopper's "your order is ready" push (APNs alert, FCM notification; ids in data). */
export function readyPushPayload(message: PickupMessage): string {
  const title = "Your order is ready";
  const body = `Order ${message.orderRef} is ready for pickup.`;
  const data = {
    pickupId: message.pickupId,
    storeId: message.storeId,
    eventType: message.eventType,
  };
  const apns = JSON.stringify({ aps: { alert: { title, body } }, ...data });
  return JSON.stringify({
    default: `${title}: ${body}`,
    APNS: apns,
    APNS_SANDBOX: apns,
    GCM: JSON.stringify({ notification: { title, body }, data }),
  });
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
      await sns.send(
        new PublishCommand({
          TopicArn: config.topicArn,
          Message: JSON.stringify(message),
          MessageAttributes: {
            eventType: { DataType: "String", StringValue: message.eventType },
            merchantId: { DataType: "String", StringValue: message.merchantId },
            storeId: { DataType: "String", StringValue: message.storeId },
            pickupId: { DataType: "String", StringValue: message.pickupId },
          },
        }),
      );
    },
    async pushReady(deviceId, message) {
      const endpoint = await config.endpointOf(deviceId);
      if (!endpoint) return;
      await sns.send(
        new PublishCommand({
          TargetArn: endpoint,
          MessageStructure: "json",
          Message: readyPushPayload(message),
        }),
      );
    },
  };
}
