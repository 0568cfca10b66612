import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { audienceKeys } from "../../domain/audience.ts";
import type { AudienceMembership, AudienceStore } from "../../use-cases/audiences.ts";
import { batchWriteAll } from "./batch.ts";
import { queryItems } from "./query-pages.ts";

/**
 * DynamoDB adapter for `AudienceStore` on the devices table: one item per (subject partition,
 * merchant, audience) with the table's TTL attribute `expiresAt` (epoch seconds) set to the
 * membership's end. Writes go through `batchWriteAll` (25 per request, unprocessed items
 * retried); reads are one Query per partition on the `AUD#` sort-key prefix.
 */
export function dynamoAudienceStore(
  client: DynamoDBDocumentClient,
  tableName: string,
): AudienceStore {
  return {
    async add(partitions, merchantId, audience, expiresAtMs) {
      await batchWriteAll(client, {
        [tableName]: partitions.map((partition) => ({
          PutRequest: {
            Item: {
              ...audienceKeys.membership(partition, merchantId, audience),
              entity: "audience",
              merchantId,
              audience,
              expiresAtMs,
              expiresAt: Math.ceil(expiresAtMs / 1000),
            },
          },
        })),
      });
    },
    async remove(partitions, merchantId, audience) {
      await batchWriteAll(client, {
        [tableName]: partitions.map((partition) => ({
          DeleteRequest: { Key: audienceKeys.membership(partition, merchantId, audience) },
        })),
      });
    },
    async memberships(partitions) {
      const perPartition = await Promise.all(
        [...new Set(partitions)].map((partition) =>
          queryItems(client, {
            TableName: tableName,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues: { ":pk": partition, ":prefix": audienceKeys.prefix },
            ProjectionExpression: "sk, expiresAtMs",
          }),
        ),
      );
      return perPartition.flat().flatMap((item): AudienceMembership[] => {
        const parsed = audienceKeys.parse(String(item.sk));
        return parsed
          ? [{ merchantId: parsed[0], audience: parsed[1], expiresAtMs: Number(item.expiresAtMs) }]
          : [];
      });
    },
  };
}
