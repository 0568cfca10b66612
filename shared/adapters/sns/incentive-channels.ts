import type { SNSClient } from "@aws-sdk/client-sns";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { IncentiveMessage } from "../../domain/incentive.ts";
import type { IncentiveChannels } from "../../use-cases/ports/incentive-channels.ts";
import { mobilePushPayload, publishJson, pushToEndpoint } from "./publish.ts";

export type { IncentiveChannels };

/** The mobile push payloads: APNs alert and FCM notification, with the code in custom data. */
export function pushPayload(message: IncentiveMessage): string {
  const data = {
    incentiveId: message.incentiveId,
    offerId: message.offerId,
    code: message.redemption.code,
    ...(message.message.deepLink ? { deepLink: message.message.deepLink } : {}),
  };
  return mobilePushPayload(message.message.title, message.message.body, data);
}

/** SNS/SQS adapter for `IncentiveChannels`. */
export function snsIncentiveChannels(
  sns: SNSClient,
  sqs: SQSClient,
  config: { topicArn: string; dlqUrl?: string | undefined },
): IncentiveChannels {
  return {
    publishTopic: (message) =>
      publishJson(sns, config.topicArn, message, {
        merchantId: message.merchantId,
        offerId: message.offerId,
        storeId: message.storeId,
        eventType: message.eventType,
        incentiveId: message.incentiveId,
      }),
    push: (endpointArn, message) => pushToEndpoint(sns, endpointArn, pushPayload(message)),
    async deadLetter(payload) {
      if (!config.dlqUrl) return;
      await sqs.send(
        new SendMessageCommand({ QueueUrl: config.dlqUrl, MessageBody: JSON.stringify(payload) }),
      );
    },
  };
}
