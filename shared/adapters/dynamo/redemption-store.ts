import { createHash } from "node:crypto";
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { ConversionRecord } from "../../domain/conversion.ts";
import { incentiveKeys } from "../../domain/incentive.ts";
import { TOUCH_FIELDS } from "../../domain/o2o/touch.ts";
import type {
  AttemptKey,
  IssuedCode,
  RedeemOutcome,
  RedemptionStore,
  RedemptionWrite,
  StaticCap,
} from "../../use-cases/ports/redemption-store.ts";
import { writeIf } from "./conditional-write.ts";
import { recordPut } from "./conversion-log.ts";
import { codeEndCounterUpdates, touchCounterUpdates } from "./counter-updates.ts";
import { readConsistent } from "./read-consistent.ts";
import type { TransactItem } from "./transact.ts";

export type { AttemptKey, IssuedCode, RedeemOutcome, RedemptionStore, RedemptionWrite, StaticCap };

export interface RedemptionTables {
  incentives: string;
  conversions: string;
}

/**
 * Attempt counter of one till or store for one window (conversions table: it has no stream, so the
 * counters never wake the incentive outbox consumer). Till subjects are hashed: token subjects may
 * be e-mail addresses, and keys should carry no personal data.
 */
export function redemptionAttemptKey(key: AttemptKey) {
  const who =
    key.scope === "till"
      ? createHash("sha256").update(key.id, "utf8").digest("base64url").slice(0, 22)
      : key.id;
  return {
    pk: `REDEEMTRY#${key.merchantId}#${key.scope}#${who}`,
    sk: `WINDOW#${key.windowStart}`,
  };
}

/** Static-code redemptions of one offer, counted for its cap (conversions table). */
export function staticRedemptionCountKey(merchantId: string, offerId: string) {
  return { pk: `STATICREDEEM#${merchantId}#${offerId}`, sk: "COUNT" };
}

/** A redemption of a code issued by a touch also counts on the touch's channel and variant. */
function touchRedemption(record: ConversionRecord, table: string): TransactItem[] {
  if (record.channel === undefined || record.variant === undefined || !record.offerId) return [];
  return touchCounterUpdates(
    {
      merchantId: record.merchantId,
      offerId: record.offerId,
      localDay: record.localDay,
      channel: record.channel,
      variant: record.variant,
      fields: {
        [record.touch === "web_claim" ? TOUCH_FIELDS.webRedemptions : TOUCH_FIELDS.redemptions]: 1,
      },
    },
    table,
  );
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
  const findCode = (merchantId: string, code: string) =>
    readConsistent(client, tables.incentives, incentiveKeys.codeClaim(merchantId, code), toCode);

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
        recordPut(tables.conversions, write.record, write.recordExpiresAt),
        ...codeEndCounterUpdates(write.record, "redeemed", tables.conversions),
        ...touchRedemption(write.record, tables.conversions),
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

    async logRedemption(write, cap) {
      const items: TransactItem[] = [
        recordPut(tables.conversions, write.record, write.recordExpiresAt, { once: true }),
        ...codeEndCounterUpdates(write.record, "redeemed", tables.conversions),
      ];
      if (cap) {
        items.push({
          Update: {
            TableName: tables.conversions,
            Key: staticRedemptionCountKey(cap.merchantId, cap.offerId),
            UpdateExpression: "ADD redeemed :one",
            ExpressionAttributeValues: {
              ":one": 1,
              ...(cap.max !== undefined ? { ":max": cap.max } : {}),
            },
            ...(cap.max !== undefined
              ? { ConditionExpression: "attribute_not_exists(redeemed) OR redeemed < :max" }
              : {}),
          },
        });
      }
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return "logged";
      } catch (error) {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] })
          .CancellationReasons;
        const capIndex = items.length - 1;
        if (
          cap?.max !== undefined &&
          (error as Error).name === "TransactionCanceledException" &&
          reasons?.[capIndex]?.Code === "ConditionalCheckFailed"
        ) {
          return "capped";
        }
        throw error;
      }
    },

    async reserveAttempt(key, limit, expiresAt) {
      return writeIf(
        client,
        new UpdateCommand({
          TableName: tables.conversions,
          Key: redemptionAttemptKey(key),
          UpdateExpression: "ADD attempts :one SET expiresAt = :exp",
          ConditionExpression: "attribute_not_exists(attempts) OR attempts < :limit",
          ExpressionAttributeValues: { ":one": 1, ":exp": expiresAt, ":limit": limit },
        }),
      );
    },

    async releaseAttempt(key) {
      // Never below zero: a release without its reservation (expired window) changes nothing.
      await writeIf(
        client,
        new UpdateCommand({
          TableName: tables.conversions,
          Key: redemptionAttemptKey(key),
          UpdateExpression: "ADD attempts :minus",
          ConditionExpression: "attempts > :zero",
          ExpressionAttributeValues: { ":minus": -1, ":zero": 0 },
        }),
      );
    },
  };
}
