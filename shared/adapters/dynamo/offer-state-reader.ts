import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { catalogKeys } from "../../domain/catalog/keys.ts";
import { batchGetAll } from "./batch.ts";
import { readBudgetUse } from "./budget-counter.ts";

/**
 * Port: what an offer's derived state needs beyond the offer itself — incentives sent so far
 * (budget use) and the time zones of its stores.
 */
export interface OfferStateReader {
  /** Incentives sent per offer id (absent = 0). Eventually consistent: a display value. */
  sentCounts(offerIds: readonly string[]): Promise<Map<string, number>>;
  /** IANA time zone per store id of the merchant (missing stores are absent). */
  storeTimeZones(merchantId: string, storeIds: readonly string[]): Promise<Map<string, string>>;
}

/** One table's keys, projected (the shared batch helper chunks and retries). */
async function batchGet(
  client: DynamoDBDocumentClient,
  table: string,
  keys: Record<string, unknown>[],
  projection: { expression: string; names: Record<string, string> },
): Promise<Record<string, unknown>[]> {
  const found = await batchGetAll(client, {
    [table]: {
      Keys: keys,
      ProjectionExpression: projection.expression,
      ExpressionAttributeNames: projection.names,
    },
  });
  return found[table] ?? [];
}

/**
 * DynamoDB adapter: budget use from the incentives table (the pre-slice counter plus every budget
 * slice, summed; see budget-counter.ts) and store zones from the catalog table, both projected to the attributes needed.
 */
export function dynamoOfferStateReader(
  client: DynamoDBDocumentClient,
  tables: { catalog: string; incentives: string },
): OfferStateReader {
  return {
    async sentCounts(offerIds) {
      const use = await readBudgetUse(client, tables.incentives, offerIds);
      return new Map([...use].map(([id, u]) => [id, u.total]));
    },
    async storeTimeZones(merchantId, storeIds) {
      const ids = [...new Set(storeIds)];
      const items = await batchGet(
        client,
        tables.catalog,
        ids.map((id) => catalogKeys.store(merchantId, id)),
        { expression: "#id, #tz", names: { "#id": "storeId", "#tz": "timeZone" } },
      );
      const out = new Map<string, string>();
      for (const item of items) out.set(String(item.storeId), String(item.timeZone));
      return out;
    },
  };
}
