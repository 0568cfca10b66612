import { type DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { type Link, linkKeys, linkTokenHash } from "../../domain/o2o/link.ts";
import type { LinkStore } from "../../use-cases/ports/link-store.ts";
import { queryItems } from "./query-pages.ts";
import { readConsistent } from "./read-consistent.ts";

export type { LinkStore };

const strip = (item: Record<string, unknown>): Link => {
  const { pk: _pk, sk: _sk, entity: _e, ...rest } = item;
  return rest as unknown as Link;
};

/**
 * DynamoDB adapter for `LinkStore`. The lookup item (`LINKTOKEN#<sha-256 of the token>`) holds
 * a copy of the link, written in the same transaction as the link itself, so a claim costs one
 * read; its key carries only the token's hash.
 */
export function dynamoLinkStore(client: DynamoDBDocumentClient, table: string): LinkStore {
  const puts = (link: Link, condition: string, version?: number) => {
    const values = version === undefined ? undefined : { ":v": version };
    return [
      {
        Put: {
          TableName: table,
          Item: {
            ...linkKeys.link(link.merchantId, link.offerId, link.linkId),
            entity: "link",
            ...link,
          },
          ConditionExpression: condition,
          ...(values ? { ExpressionAttributeValues: values } : {}),
        },
      },
      {
        Put: {
          TableName: table,
          Item: { ...linkKeys.token(linkTokenHash(link.token)), entity: "linkToken", ...link },
          ConditionExpression: condition,
          ...(values ? { ExpressionAttributeValues: values } : {}),
        },
      },
    ];
  };
  return {
    async create(link) {
      try {
        await client.send(
          new TransactWriteCommand({ TransactItems: puts(link, "attribute_not_exists(pk)") }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === "TransactionCanceledException") return false;
        throw error;
      }
    },

    async list(merchantId, offerId) {
      const items = await queryItems(client, {
        TableName: table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": linkKeys.offerPartition(merchantId, offerId) },
      });
      return items.map(strip);
    },

    get: (merchantId, offerId, linkId) =>
      readConsistent(client, table, linkKeys.link(merchantId, offerId, linkId), strip),

    async replace(link, expectedVersion) {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: puts(link, "version = :v", expectedVersion),
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === "TransactionCanceledException") return false;
        throw error;
      }
    },

    findByToken: (token) =>
      readConsistent(client, table, linkKeys.token(linkTokenHash(token)), strip),
  };
}
