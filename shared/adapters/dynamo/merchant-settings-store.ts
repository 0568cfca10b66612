import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { catalogKeys } from "../../domain/catalog/keys.ts";
import {
  defaultMerchantSettings,
  type MerchantSettings,
} from "../../domain/catalog/quiet-hours.ts";
import { ConflictError } from "../../errors.ts";
import type { Clock } from "../../ports.ts";
import type { MerchantSettingsStore } from "../../use-cases/ports/merchant-settings-store.ts";
import { writeOrThrow } from "./conditional-write.ts";

export type { MerchantSettingsStore };

/** DynamoDB adapter for `MerchantSettingsStore`; the version guards concurrent writes. */
export function dynamoMerchantSettingsStore(
  client: DynamoDBDocumentClient,
  tableName: string,
): MerchantSettingsStore {
  return {
    async get(merchantId) {
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: catalogKeys.settings(merchantId) }),
      );
      if (!out.Item) return defaultMerchantSettings(merchantId);
      const { pk: _pk, sk: _sk, entity: _entity, ...rest } = out.Item;
      return rest as MerchantSettings;
    },
    async put(settings, expectedVersion) {
      await writeOrThrow(
        client,
        new PutCommand({
          TableName: tableName,
          Item: { ...catalogKeys.settings(settings.merchantId), entity: "settings", ...settings },
          ConditionExpression: expectedVersion === 0 ? "attribute_not_exists(pk)" : "version = :v",
          ...(expectedVersion === 0
            ? {}
            : { ExpressionAttributeValues: { ":v": expectedVersion } }),
        }),
        () =>
          new ConflictError(
            `The settings are no longer at version ${expectedVersion}; reload and retry.`,
            { issues: [{ path: "version", reason: "the settings changed meanwhile" }] },
          ),
      );
    },
  };
}

/**
 * Settings for the decision path, cached per instance for `ttlMs` like offers and stores (a
 * change reaches every instance within the catalog cache TTL).
 */
export function cachedMerchantSettings(
  store: Pick<MerchantSettingsStore, "get">,
  clock: Clock,
  ttlMs: number,
): Pick<MerchantSettingsStore, "get"> {
  const cache = new Map<string, { value: MerchantSettings; at: number }>();
  return {
    async get(merchantId) {
      const now = clock.now();
      const hit = cache.get(merchantId);
      if (hit && now - hit.at < ttlMs) return hit.value;
      const value = await store.get(merchantId);
      cache.set(merchantId, { value, at: now });
      return value;
    },
  };
}
