import { createHash } from "node:crypto";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  COUNTER_FIELDS,
  type ConversionRecord,
  conversionItem,
  conversionKeys,
  NO_OFFER,
} from "../../domain/conversion.ts";
import { incentiveKeys } from "../../domain/incentive.ts";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** A unique redemption code as the decision step issued it (incentives table). */
export interface IssuedCode {
  incentiveId: string;
  merchantId: string;
  offerId: string;
  storeId: string;
  /** Every store of the offer: the code can be redeemed at any of them. */
  storeIds: string[];
  code: string;
  codeKind: "unique";
  status: "issued" | "redeemed";
  expiresAtMs: number;
  title: string;
  deviceRef: string;
  redeemedAt?: string | undefined;
  redeemedStoreId?: string | undefined;
}

/** What a redemption writes besides the code: the `redeemed` log record and its counters. */
export interface RedemptionWrite {
  record: ConversionRecord;
  /** Epoch seconds: the log record's retention. */
  recordExpiresAt: number;
}

export type RedeemOutcome =
  | { kind: "redeemed" }
  /** The transaction was refused; `current` is the code as it is now (re-read, consistent). */
  | { kind: "refused"; current: IssuedCode | undefined };

/** Port: single-use codes, the redemption log and failed-attempt counters. */
export interface RedemptionStore {
  findCode(merchantId: string, code: string): Promise<IssuedCode | undefined>;
  /**
   * Flips the code issued → redeemed (only if still issued and unexpired at `now`) together
   * with the log record and the counters, all or nothing.
   */
  redeem(
    code: IssuedCode,
    storeId: string,
    now: number,
    write: RedemptionWrite,
  ): Promise<RedeemOutcome>;
  /** Logs a static-code redemption (no single-use item) with its counters, all or nothing. */
  logRedemption(write: RedemptionWrite): Promise<void>;
  /** Failed attempts of a POS identity in the window starting at `windowStart` (epoch ms). */
  failures(merchantId: string, subject: string, windowStart: number): Promise<number>;
  /** Counts one more failed attempt; returns the window's new total. */
  addFailure(
    merchantId: string,
    subject: string,
    windowStart: number,
    expiresAt: number,
  ): Promise<number>;
}

export interface RedemptionTables {
  incentives: string;
  conversions: string;
}

/**
 * Failed-attempt counter of one POS identity for one window (conversions table: it has no
 * stream, so the counters never wake the incentive outbox consumer). The subject is hashed:
 * token subjects may be e-mail addresses, and keys should carry no personal data.
 */
export function redemptionAttemptKey(merchantId: string, subject: string, windowStart: number) {
  const who = createHash("sha256").update(subject, "utf8").digest("base64url").slice(0, 22);
  return { pk: `REDEEMFAIL#${merchantId}#${who}`, sk: `WINDOW#${windowStart}` };
}

function counterUpdates(record: ConversionRecord, table: string): TransactItem[] {
  const offerId = record.offerId ?? NO_OFFER;
  const values = {
    ":m": record.merchantId,
    ":o": offerId,
    ":s": record.storeId,
    ":d": record.localDay,
    ":one": 1,
  };
  // A basket adds to the count and sum of baskets, so reports can average them.
  const basket = record.basketMinor !== undefined;
  return [
    conversionKeys.offerCounters(record.merchantId, offerId, record.storeId, record.localDay),
    conversionKeys.storeCounters(record.merchantId, record.storeId, record.localDay, offerId),
  ].map((Key) => ({
    Update: {
      TableName: table,
      Key,
      UpdateExpression: `SET merchantId = :m, offerId = :o, storeId = :s, localDay = :d ADD #redemptions :one${
        basket ? ", #baskets :one, #basketMinor :basket" : ""
      }`,
      ExpressionAttributeNames: {
        "#redemptions": COUNTER_FIELDS.redemptions,
        ...(basket
          ? { "#baskets": COUNTER_FIELDS.baskets, "#basketMinor": COUNTER_FIELDS.basketMinor }
          : {}),
      },
      ExpressionAttributeValues: basket ? { ...values, ":basket": record.basketMinor } : values,
    },
  }));
}

function toCode(item: Record<string, unknown>): IssuedCode {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _gs, entity: _e, expiresAt: _x, ...rest } = item;
  const storeIds = rest.storeIds instanceof Set ? [...rest.storeIds].map(String) : rest.storeIds;
  return {
    ...(rest as unknown as IssuedCode),
    storeIds: Array.isArray(storeIds) ? storeIds.map(String) : [],
    expiresAtMs: Number(rest.expiresAtMs),
  };
}

/** DynamoDB adapter for `RedemptionStore`. */
export function dynamoRedemptionStore(
  client: DynamoDBDocumentClient,
  tables: RedemptionTables,
): RedemptionStore {
  async function findCode(merchantId: string, code: string) {
    const out = await client.send(
      new GetCommand({
        TableName: tables.incentives,
        Key: incentiveKeys.codeClaim(merchantId, code),
        ConsistentRead: true,
      }),
    );
    return out.Item ? toCode(out.Item) : undefined;
  }

  return {
    findCode,

    async redeem(code, storeId, now, write) {
      const items: TransactItem[] = [
        {
          Update: {
            TableName: tables.incentives,
            Key: incentiveKeys.codeClaim(code.merchantId, code.code),
            UpdateExpression: "SET #status = :redeemed, redeemedAt = :at, redeemedStoreId = :store",
            ConditionExpression:
              "#status = :issued AND expiresAtMs > :now AND merchantId = :merchant",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":redeemed": "redeemed",
              ":issued": "issued",
              ":at": new Date(now).toISOString(),
              ":store": storeId,
              ":now": now,
              ":merchant": code.merchantId,
            },
          },
        },
        {
          Put: {
            TableName: tables.conversions,
            Item: conversionItem(write.record, write.recordExpiresAt),
          },
        },
        ...counterUpdates(write.record, tables.conversions),
      ];
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return { kind: "redeemed" };
      } catch (error) {
        // A failed condition or a concurrent transaction on the code: the caller decides
        // from the code as it is now (already redeemed → 409, expired → 410, else retry).
        if ((error as Error).name !== "TransactionCanceledException") throw error;
        return { kind: "refused", current: await findCode(code.merchantId, code.code) };
      }
    },

    async logRedemption(write) {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tables.conversions,
                Item: conversionItem(write.record, write.recordExpiresAt),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            ...counterUpdates(write.record, tables.conversions),
          ],
        }),
      );
    },

    async failures(merchantId, subject, windowStart) {
      const out = await client.send(
        new GetCommand({
          TableName: tables.conversions,
          Key: redemptionAttemptKey(merchantId, subject, windowStart),
          ConsistentRead: true,
        }),
      );
      return Number(out.Item?.failures ?? 0) || 0;
    },

    async addFailure(merchantId, subject, windowStart, expiresAt) {
      const out = await client.send(
        new UpdateCommand({
          TableName: tables.conversions,
          Key: redemptionAttemptKey(merchantId, subject, windowStart),
          UpdateExpression: "ADD failures :one SET expiresAt = :exp",
          ExpressionAttributeValues: { ":one": 1, ":exp": expiresAt },
          ReturnValues: "UPDATED_NEW",
        }),
      );
      return Number(out.Attributes?.failures ?? 0) || 0;
    },
  };
}
