import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { catalogKeys } from "../../domain/catalog/keys.ts";
import { incentiveKeys } from "../../domain/incentive.ts";

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

const BATCH_GET_LIMIT = 100;
const MAX_ROUNDS = 8;

async function batchGet(
  client: DynamoDBDocumentClient,
  table: string,
  keys: Record<string, unknown>[],
  projection: { expression: string; names: Record<string, string> },
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + BATCH_GET_LIMIT);
    for (let round = 0; pending && pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error("BatchGet: unprocessed keys remain after retries");
      if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1_000, 2 ** round * 25)));
      const res = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ProjectionExpression: projection.expression,
              ExpressionAttributeNames: projection.names,
            },
          },
        }),
      );
      out.push(...(res.Responses?.[table] ?? []));
      pending = res.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return out;
}

/**
 * DynamoDB adapter: budget counters from the incentives table (`OFFER#id / BUDGET`, attribute
 * `sent`) and store zones from the catalog table, both projected to the attributes needed.
 */
export function dynamoOfferStateReader(
  client: DynamoDBDocumentClient,
  tables: { catalog: string; incentives: string },
): OfferStateReader {
  return {
    async sentCounts(offerIds) {
      const ids = [...new Set(offerIds)];
      const items = await batchGet(
        client,
        tables.incentives,
        ids.map((id) => incentiveKeys.budget(id)),
        { expression: "#pk, #sent", names: { "#pk": "pk", "#sent": "sent" } },
      );
      const out = new Map<string, number>();
      for (const item of items) {
        out.set(String(item.pk).replace(/^OFFER#/, ""), Number(item.sent ?? 0));
      }
      return out;
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
