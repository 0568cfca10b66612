import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type ConversionRecord, conversionKeys } from "../../domain/conversion.ts";
import { funnelFromItem } from "../../domain/reports/funnel.ts";
import { journeyFieldsOf } from "../../domain/reports/journey-report.ts";
import type {
  ConversionReader,
  LogPage,
  LogPosition,
  LogQuery,
} from "../../use-cases/ports/conversion-reader.ts";
import { readBudgetUse } from "./budget-counter.ts";
import { queryPages } from "./query-pages.ts";

export type { ConversionReader, LogPage, LogPosition, LogQuery };

export interface ConversionReaderTables {
  conversions: string;
  incentives: string;
}

/** Guard against runaway pagination of counters (400 days × 50 stores is ~20 pages). */
const MAX_COUNTER_PAGES = 500;

const RECORD_FIELDS = [
  "eventId",
  "type",
  "merchantId",
  "offerId",
  "storeId",
  "deviceRef",
  "at",
  "localDay",
  "incentiveId",
  "reason",
  "group",
  "timeToVisitS",
  "trigger",
  "basketMinor",
  "basketCurrency",
  "channel",
  "variant",
  "linkId",
  "touch",
  "stage",
  "previousStage",
] as const;

/** Only the record's own fields: keys, TTL and anything else stored on the item stay behind. */
function toRecord(item: Record<string, unknown>): ConversionRecord {
  const out: Record<string, unknown> = {};
  for (const field of RECORD_FIELDS) {
    if (item[field] !== undefined && item[field] !== null) out[field] = item[field];
  }
  out.at = Number(out.at);
  return out as unknown as ConversionRecord;
}

/** The item's key in the listing it was read from (base table, plus the index when used). */
function positionOf(item: Record<string, unknown>, viaOffer: boolean): LogPosition {
  const position: LogPosition = { pk: String(item.pk), sk: String(item.sk) };
  if (viaOffer) {
    position.gsi1pk = String(item.gsi1pk);
    position.gsi1sk = String(item.gsi1sk);
  }
  return position;
}

/** `value` if it is a string, else `fallback`. */
function textOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

function daySuffix(sk: unknown): { day: string; rest: string } {
  const text = String(sk ?? "");
  const i = text.indexOf("#");
  return i < 0 ? { day: text, rest: "" } : { day: text.slice(0, i), rest: text.slice(i + 1) };
}

/** DynamoDB adapter for `ConversionReader` (conversions table; budget in the incentives table). */
export function dynamoConversionReader(
  client: DynamoDBDocumentClient,
  tables: ConversionReaderTables,
): ConversionReader {
  async function counterItems(pk: string, fromDay: string, toDay: string) {
    const items: Record<string, unknown>[] = [];
    let pages = 0;
    for await (const out of queryPages(client, {
      TableName: tables.conversions,
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      // "$" sorts right after "#": every `<toDay>#<id>` key is below `<toDay>$`.
      ExpressionAttributeValues: { ":pk": pk, ":from": `${fromDay}#`, ":to": `${toDay}$` },
    })) {
      items.push(...(out.Items ?? []));
      pages += 1;
      if (pages >= MAX_COUNTER_PAGES && out.LastEvaluatedKey)
        throw new Error("counters: too many pages");
    }
    return items;
  }

  /**
   * The counter rows of one partition (an offer's or a store's) from `fromDay` to `toDay`. A row's
   * key is `<localDay>#<id>`, the id being the other side's (the store in an offer's partition):
   * `ids` names the row's offer and store from the item's own attributes, or from that id when
   * the item has none.
   */
  async function counterRows(
    pk: string,
    fromDay: string,
    toDay: string,
    ids: (item: Record<string, unknown>, other: string) => { offerId: string; storeId: string },
  ) {
    const items = await counterItems(pk, fromDay, toDay);
    return items.map((item) => {
      const { day, rest } = daySuffix(item.sk);
      return {
        ...ids(item, rest),
        localDay: textOr(item.localDay, day),
        funnel: funnelFromItem(item),
        journey: journeyFieldsOf(item),
      };
    });
  }

  async function exists(pk: string): Promise<boolean> {
    const out = await client.send(
      new QueryCommand({
        TableName: tables.conversions,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk },
        ProjectionExpression: "pk",
        Limit: 1,
      }),
    );
    return (out.Items?.length ?? 0) > 0;
  }

  return {
    async queryLog(query, limit, start, maxReads = 10) {
      const viaOffer = query.offerId !== undefined;
      const pkName = viaOffer ? "gsi1pk" : "pk";
      const skName = viaOffer ? "gsi1sk" : "sk";
      const values: Record<string, unknown> = {
        ":pk": viaOffer
          ? conversionKeys.offerLogPartition(query.merchantId, query.offerId ?? "")
          : conversionKeys.logPartition(query.merchantId),
      };
      let keyCondition = `${pkName} = :pk`;
      // `<iso>#<eventId>` >= `<from>` keeps events at `from`; <= `<to>` drops those at `to`.
      if (query.fromIso !== undefined && query.toIso !== undefined) {
        keyCondition += ` AND ${skName} BETWEEN :from AND :to`;
        values[":from"] = query.fromIso;
        values[":to"] = query.toIso;
      } else if (query.fromIso !== undefined) {
        keyCondition += ` AND ${skName} >= :from`;
        values[":from"] = query.fromIso;
      } else if (query.toIso !== undefined) {
        keyCondition += ` AND ${skName} <= :to`;
        values[":to"] = query.toIso;
      }
      const filters: string[] = [];
      const names: Record<string, string> = {};
      if (query.storeId !== undefined) {
        filters.push("#store = :store");
        names["#store"] = "storeId";
        values[":store"] = query.storeId;
      }
      if (query.type !== undefined) {
        filters.push("#type = :type");
        names["#type"] = "type";
        values[":type"] = query.type;
      }
      const filtered = filters.length > 0;

      const records: ConversionRecord[] = [];
      const positions: LogPosition[] = [];
      let position: Record<string, unknown> | undefined = start;
      for (let reads = 0; reads < maxReads; reads++) {
        const remaining = limit - records.length;
        const out = await client.send(
          new QueryCommand({
            TableName: tables.conversions,
            ...(viaOffer ? { IndexName: "gsi1" } : {}),
            KeyConditionExpression: keyCondition,
            ...(filtered
              ? { FilterExpression: filters.join(" AND "), ExpressionAttributeNames: names }
              : {}),
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            // A filter drops items after the limit is applied: read more than we need.
            Limit: filtered ? Math.min(1000, Math.max(100, remaining * 4)) : remaining,
            ExclusiveStartKey: position,
          }),
        );
        const items = out.Items ?? [];
        for (let i = 0; i < items.length; i++) {
          const item = items[i] ?? {};
          const at = positionOf(item, viaOffer);
          records.push(toRecord(item));
          positions.push(at);
          if (records.length === limit) {
            const more = i < items.length - 1 || out.LastEvaluatedKey !== undefined;
            return { records, positions, next: more ? at : undefined };
          }
        }
        position = out.LastEvaluatedKey;
        if (!position) return { records, positions, next: undefined };
      }
      return { records, positions, next: position as LogPosition | undefined };
    },

    offerCounters: (merchantId, offerId, fromDay, toDay) =>
      counterRows(
        conversionKeys.offerCounterPartition(merchantId, offerId),
        fromDay,
        toDay,
        (item, other) => ({ offerId, storeId: textOr(item.storeId, other) }),
      ),

    storeCounters: (merchantId, storeId, fromDay, toDay) =>
      counterRows(
        conversionKeys.storeCounterPartition(merchantId, storeId),
        fromDay,
        toDay,
        (item, other) => ({ offerId: textOr(item.offerId, other), storeId }),
      ),

    hasOfferCounters: (merchantId, offerId) =>
      exists(conversionKeys.offerCounterPartition(merchantId, offerId)),

    hasStoreCounters: (merchantId, storeId) =>
      exists(conversionKeys.storeCounterPartition(merchantId, storeId)),

    async budgetUsed(offerId) {
      const use = await readBudgetUse(client, tables.incentives, [offerId]);
      return use.get(offerId)?.total ?? 0;
    },
  };
}
