/**
 * Report counter updates written inside decision, visit, expiry and redemption transactions:
 * each bump adds to its counters items (funnel counters: the offer's and the store's; touch
 * counters: the offer's and the merchant's), so reports read counters, never the log. Bumps of
 * the same item are merged first, since one transaction may not touch an item twice.
 */
import {
  COUNTER_FIELDS,
  type ConversionRecord,
  conversionKeys,
  isOnlineTouch,
  NO_OFFER,
} from "../../domain/conversion.ts";
import { mergeBumpsBy } from "../../domain/counter-bumps.ts";
import { mergeTouchBumps, type TouchBump, touchKeys } from "../../domain/o2o/touch.ts";
import type { CounterBump } from "../../use-cases/ports/decision-store.ts";
import type { TransactItem } from "./transact.ts";

/**
 * One update per key: `SET` the item's identifying attributes (`set`, so the report can read
 * them back), `ADD` each of `fields` (counter name → amount).
 */
function addUpdates(
  table: string,
  keys: readonly Record<string, string>[],
  set: Readonly<Record<string, string>>,
  fields: Readonly<Record<string, number>>,
): TransactItem[] {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const adds: string[] = [];
  Object.entries(set).forEach(([attribute, value], i) => {
    values[`:s${i}`] = value;
    sets.push(`${attribute} = :s${i}`);
  });
  Object.entries(fields).forEach(([field, n], i) => {
    names[`#f${i}`] = field;
    values[`:n${i}`] = n;
    adds.push(`#f${i} :n${i}`);
  });
  const expression = `SET ${sets.join(", ")} ADD ${adds.join(", ")}`;
  return keys.map((Key) => ({
    Update: {
      TableName: table,
      Key,
      UpdateExpression: expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  }));
}

/** Touch counter updates: the offer's partition and the merchant's (report across offers). */
export function touchCounterUpdates(bump: TouchBump, table: string): TransactItem[] {
  const { merchantId, offerId, channel, variant, localDay } = bump;
  return addUpdates(
    table,
    [
      touchKeys.offer(merchantId, offerId, localDay, channel, variant),
      touchKeys.merchant(merchantId, localDay, offerId, channel, variant),
    ],
    { merchantId, offerId, channel, variant, localDay },
    bump.fields,
  );
}

/** Funnel counter updates of one bump: the offer's counters item and the store's. */
export function counterUpdates(bump: CounterBump, table: string): TransactItem[] {
  const { merchantId, offerId, storeId, localDay } = bump;
  return addUpdates(
    table,
    [
      conversionKeys.offerCounters(merchantId, offerId, storeId, localDay),
      conversionKeys.storeCounters(merchantId, storeId, localDay, offerId),
    ],
    { merchantId, offerId, storeId, localDay },
    bump.fields,
  );
}

/**
 * The funnel counter updates of an issued code's end, logged as `record`: one more redemption
 * or expiry on the record's offer (`NO_OFFER` when none) and store for its local day. A code
 * claimed online (`isOnlineTouch`) counts apart from the geofence funnel (its sends are the
 * channel report's claims); a geofence redemption that reported a basket also adds to the count
 * and sum of baskets, so reports can average them.
 */
export function codeEndCounterUpdates(
  record: ConversionRecord,
  end: "redeemed" | "expired",
  table: string,
): TransactItem[] {
  const online = isOnlineTouch(record.touch);
  const fields: Record<string, number> =
    end === "expired"
      ? { [online ? COUNTER_FIELDS.onlineExpired : COUNTER_FIELDS.expired]: 1 }
      : { [online ? COUNTER_FIELDS.onlineRedemptions : COUNTER_FIELDS.redemptions]: 1 };
  if (end === "redeemed" && record.basketMinor !== undefined && !online) {
    fields[COUNTER_FIELDS.baskets] = 1;
    fields[COUNTER_FIELDS.basketMinor] = record.basketMinor;
  }
  return counterUpdates(
    {
      merchantId: record.merchantId,
      offerId: record.offerId ?? NO_OFFER,
      storeId: record.storeId,
      localDay: record.localDay,
      fields,
    },
    table,
  );
}

/** Merges funnel counter bumps of the same offer, store and day. */
export function mergeBumps(bumps: readonly CounterBump[]): CounterBump[] {
  return mergeBumpsBy(bumps, (b) => `${b.merchantId}|${b.offerId}|${b.storeId}|${b.localDay}`);
}

/** The funnel counter updates of `bumps`, merged first (one update per item). */
export function funnelCounterItems(bumps: readonly CounterBump[], table: string): TransactItem[] {
  return mergeBumps(bumps).flatMap((bump) => counterUpdates(bump, table));
}

/** The touch counter updates of `bumps`, merged first (one update per item). */
export function touchCounterItems(bumps: readonly TouchBump[], table: string): TransactItem[] {
  return mergeTouchBumps(bumps).flatMap((bump) => touchCounterUpdates(bump, table));
}
