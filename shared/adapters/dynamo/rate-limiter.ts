import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { RateLimiter } from "../../use-cases/ports/rate-limiter.ts";
import { writeIf } from "./conditional-write.ts";

export type { RateLimiter };

/** The key of one counter window (devices table; TTL removes it after `expiresAt`). */
export function rateWindowKey(key: string, windowStart: number) {
  return { pk: `RATE#${key}`, sk: `WINDOW#${windowStart}` };
}

/** DynamoDB adapter for `RateLimiter`: an atomic counter item per key and window, with TTL. */
export function dynamoRateLimiter(client: DynamoDBDocumentClient, tableName: string): RateLimiter {
  return {
    async take(key, limit, windowStart, expiresAt) {
      return writeIf(
        client,
        new UpdateCommand({
          TableName: tableName,
          Key: rateWindowKey(key, windowStart),
          UpdateExpression: "ADD n :one SET expiresAt = :exp",
          ConditionExpression: "attribute_not_exists(n) OR n < :limit",
          ExpressionAttributeValues: { ":one": 1, ":exp": expiresAt, ":limit": limit },
        }),
      );
    },
  };
}
