/**
 * Report counter updates written inside decision, visit, expiry and redemption transactions:
 * each bump adds to its counters item under the offer's partition and the store's (so both
 * reports read counters, never the log), and bumps of the same item are merged first, since one
 * transaction may not touch an item twice.
 */
import { conversionKeys } from "../../domain/conversion.ts";
import { type TouchBump, touchKeys } from "../../domain/o2o/touch.ts";
import type { CounterBump } from "../../use-cases/ports/decision-store.ts";
import type { TransactItem } from "./transact.ts";

/** Touch counter updates: the offer's partition and the merchant's (report across offers). */
export function touchCounterUpdates(bump: TouchBump, table: string): TransactItem[] {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ":m": bump.merchantId,
    ":o": bump.offerId,
    ":c": bump.channel,
    ":v": bump.variant,
    ":d": bump.localDay,
  };
  const adds: string[] = [];
  Object.entries(bump.fields).forEach(([field, n], i) => {
    names[`#f${i}`] = field;
    values[`:n${i}`] = n;
    adds.push(`#f${i} :n${i}`);
  });
  const expression = `SET merchantId = :m, offerId = :o, channel = :c, variant = :v, localDay = :d ADD ${adds.join(", ")}`;
  return [
    touchKeys.offer(bump.merchantId, bump.offerId, bump.localDay, bump.channel, bump.variant),
    touchKeys.merchant(bump.merchantId, bump.localDay, bump.offerId, bump.channel, bump.variant),
  ].map((Key) => ({
    Update: {
      TableName: table,
      Key,
      UpdateExpression: expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  }));
}

/** Funnel counter updates of one bump: the offer's counters item and the store's. */
export function counterUpdates(bump: CounterBump, table: string): TransactItem[] {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ":m": bump.merchantId,
    ":o": bump.offerId,
    ":s": bump.storeId,
    ":d": bump.localDay,
  };
  const adds: string[] = [];
  Object.entries(bump.fields).forEach(([field, n], i) => {
    names[`#f${i}`] = field;
    values[`:v${i}`] = n;
    adds.push(`#f${i} :v${i}`);
  });
  const expression = `SET merchantId = :m, offerId = :o, storeId = :s, localDay = :d ADD ${adds.join(", ")}`;
  return [
    conversionKeys.offerCounters(bump.merchantId, bump.offerId, bump.storeId, bump.localDay),
    conversionKeys.storeCounters(bump.merchantId, bump.storeId, bump.localDay, bump.offerId),
  ].map((Key) => ({
    Update: {
      TableName: table,
      Key,
      UpdateExpression: expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  }));
}

/** Merges bumps of the same counters so one transaction never touches an item twice. */
export function mergeBumps(bumps: CounterBump[]): CounterBump[] {
  const merged = new Map<string, CounterBump>();
  for (const b of bumps) {
    const key = `${b.merchantId}|${b.offerId}|${b.storeId}|${b.localDay}`;
    const existing = merged.get(key);
    if (!existing) merged.set(key, { ...b, fields: { ...b.fields } });
    else
      for (const [f, n] of Object.entries(b.fields))
        existing.fields[f] = (existing.fields[f] ?? 0) + n;
  }
  return [...merged.values()];
}
