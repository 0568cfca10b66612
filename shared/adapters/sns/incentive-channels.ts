import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { IncentiveMessage } from "../../domain/incentive.ts";
import type { IncentiveChannels } from "../../use-cases/ports/incentive-channels.ts";

export type { IncentiveChannels };

/** The mobile push payloads: APNs alert and FCM notification, with the code in custom data. */
export function pushPayload(message: IncentiveMessage): string {
  const data = {
    incentiveId: message.incentiveId,
    offerId: message.offerId,
    code: message.redemption.code,
    ...(message.message.deepLink ? { deepLink: message.message.deepLink } : {}),
  };
  return JSON.stringify({
    default: `${message.message.title}: ${message.message.body}`,
    APNS: JSON.stringify({
      aps: { alert: { title: message.message.title, body: message.message.body } },
      ...data,
    }),
    APNS_SANDBOX: JSON.stringify({
      aps: { alert: { title: message.message.title, body: message.message.body } },
      ...data,
    }),
    GCM: JSON.stringify({
      notification: { title: message.message.title, body: message.message.body },
      data,
    }),
  });
}

/** SNS/SQS adapter for `IncentiveChannels`. */
export function snsIncentiveChannels(
  sns: SNSClient,
  sqs: SQSClient,
  config: { topicArn: string; dlqUrl?: string | undefined },
): IncentiveChannels {
  return {
    async publishTopic(message) {
      const out = await sns.send(
        new PublishCommand({
          TopicArn: config.topicArn,
          Message: JSON.stringify(message),
          MessageAttributes: {
            merchantId: { DataType: "String", StringValue: message.merchantId },
            offerId: { DataType: "String", StringValue: message.offerId },
            storeId: { DataType: "String", StringValue: message.storeId },
            eventType: { DataType: "String", StringValue: message.eventType },
            incentiveId: { DataType: "String", StringValue: message.incentiveId },
          },
        }),
      );
      return out.MessageId;
    },
    async push(endpointArn, message) {
      await sns.send(
        new PublishCommand({
          TargetArn: endpointArn,
          MessageStructure: "json",
          Message: pushPayload(message),
        }),
      );
    },
    async deadLetter(payload) {
      if (!config.dlqUrl) return;
      await sqs.send(
        new SendMessageCommand({ QueueUrl: config.dlqUrl, MessageBody: JSON.stringify(payload) }),
      );
    },
  };
}
