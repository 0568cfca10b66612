import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type TouchRow, touchFunnelFromItem } from "../../domain/o2o/channel-report.ts";
import { touchKeys } from "../../domain/o2o/touch.ts";
import type { TouchReader } from "../../use-cases/ports/touch-reader.ts";
import { queryItems } from "./query-pages.ts";

export type { TouchReader };

/** Guard against runaway pagination (400 days × channels × variants fits in a few pages). */
const MAX_PAGES = 500;

/** DynamoDB adapter for `TouchReader`: one Query over a counters partition, day-bounded. */
export function dynamoTouchReader(client: DynamoDBDocumentClient, table: string): TouchReader {
  return {
    async touchCounters(merchantId, offerId, fromDay, toDay) {
      const pk =
        offerId === null
          ? touchKeys.merchantPartition(merchantId)
          : touchKeys.offerPartition(merchantId, offerId);
      const items = await queryItems(
        client,
        {
          TableName: table,
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
          ExpressionAttributeValues: { ":pk": pk, ":from": `${fromDay}#`, ":to": `${toDay}#~` },
        },
        { maxPages: MAX_PAGES },
      );
      return items.map(
        (item): TouchRow => ({
          offerId: String(item.offerId),
          localDay: String(item.localDay),
          channel: String(item.channel),
          variant: String(item.variant),
          funnel: touchFunnelFromItem(item),
        }),
      );
    },
  };
}
