import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { type AppKey, appKeyKeys, hashAppKey } from "../../domain/app-key.ts";

/** Port: registered mobile apps, looked up by the hash of their key. */
export interface AppKeyStore {
  find(key: string): Promise<AppKey | undefined>;
  add(key: string, app: AppKey): Promise<void>;
}

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
