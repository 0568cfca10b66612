import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { appKeyKeys, hashAppKey } from "../../domain/app-key.ts";
import type { AppKeyStore } from "../../use-cases/ports/app-key-store.ts";

export type { AppKeyStore };

/** DynamoDB adapter for `AppKeyStore` (catalog table). */
export function dynamoAppKeyStore(client: DynamoDBDocumentClient, tableName: string): AppKeyStore {
  return {
    async find(key) {
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: appKeyKeys.byHash(hashAppKey(key)) }),
      );
      if (!out.Item) return undefined;
      return {
        appId: out.Item.appId,
        name: out.Item.name,
        createdAt: out.Item.createdAt,
        ...(typeof out.Item.secretGeneration === "number"
          ? { secretGeneration: out.Item.secretGeneration }
          : {}),
      };
    },
    async add(key, app) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...appKeyKeys.byHash(hashAppKey(key)), ...app, entity: "appKey" },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    },
  };
}
