import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";

/**
 * Publishes `message` as JSON on `topicArn` with string message attributes (what subscription
 * filter policies match on). Resolves to the SNS message id; SNS errors propagate as thrown by
 * the client (the caller owns retries: the client's `maxAttempts`).
 */
export async function publishJson(
  sns: SNSClient,
  topicArn: string,
  message: unknown,
  attributes: Record<string, string>,
): Promise<string | undefined> {
  const out = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Message: JSON.stringify(message),
      MessageAttributes: Object.fromEntries(
        Object.entries(attributes).map(([name, value]) => [
          name,
          { DataType: "String", StringValue: value },
        ]),
      ),
    }),
  );
  return out.MessageId;
}

/**
 * The SNS mobile push document (`MessageStructure: "json"`): an APNs alert (production and
 * sandbox) and an FCM notification with the same title and body, `data` beside the alert (APNs)
 * or as the FCM data payload, and `"<title>: <body>"` for any other protocol.
 */
export function mobilePushPayload(
  title: string,
  body: string,
  data: Record<string, string>,
): string {
  const apns = JSON.stringify({ aps: { alert: { title, body } }, ...data });
  return JSON.stringify({
    default: `${title}: ${body}`,
    APNS: apns,
    APNS_SANDBOX: apns,
    GCM: JSON.stringify({ notification: { title, body }, data }),
  });
}

/** Sends a mobile push document (`mobilePushPayload`) to one SNS platform endpoint. */
export async function pushToEndpoint(
  sns: SNSClient,
  endpointArn: string,
  payload: string,
): Promise<void> {
  await sns.send(
    new PublishCommand({ TargetArn: endpointArn, MessageStructure: "json", Message: payload }),
  );
}
