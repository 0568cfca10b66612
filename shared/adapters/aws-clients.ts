import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * Real clients, created once per cold start and reused across invocations. Endpoints come from the
 * standard `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL_SNS` variables, so local engines and AWS
 * differ only in environment.
 */
export const dynamoClient = /* @__PURE__ */ new DynamoDBClient({ maxAttempts: 4 });

/** Document client: plain JS values in and out; undefined attributes are dropped, not errors. */
export const documentClient = /* @__PURE__ */ DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});

// Marked pure so a bundle that never uses a client leaves the client (and its SDK package) out.
export const snsClient = /* @__PURE__ */ new SNSClient({ maxAttempts: 4 });
