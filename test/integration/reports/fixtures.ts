/**
 * Fixture items for the report and redemption tests, written exactly as the write side writes
 * them: through the shared key helpers (`conversionItem`, `conversionKeys`, `incentiveKeys`)
 * and the catalog adapter.
 */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../../../shared/adapters/dynamo/catalog-store.ts";
import type { Offer } from "../../../shared/domain/catalog/offer.ts";
import {
  type ConversionRecord,
  conversionItem,
  conversionKeys,
} from "../../../shared/domain/conversion.ts";
import { incentiveKeys } from "../../../shared/domain/incentive.ts";
import { env } from "../../support/aws.ts";
import { storedOffer, storedStore } from "../../support/catalog-items.ts";
import { putItem } from "../../support/fixtures.ts";

export function catalog() {
  return dynamoCatalogStore(documentClient, env("CATALOG_TABLE"));
}

export async function putStore(merchantId: string, storeId: string, timeZone = "Europe/Paris") {
  await catalog().createStore(storedStore(merchantId, storeId, timeZone));
}

export async function putOffer(merchantId: string, offerId: string, patch: Partial<Offer> = {}) {
  await catalog().createOffer(storedOffer(merchantId, offerId, patch));
}

/** A code item as the decision step writes it (incentives table). */
export async function putCode(item: {
  merchantId: string;
  code: string;
  incentiveId: string;
  offerId: string;
  storeId: string;
  storeIds: string[];
  expiresAtMs: number;
  title?: string;
  status?: "issued" | "redeemed";
}) {
  await putItem("INCENTIVES_TABLE", {
    ...incentiveKeys.codeClaim(item.merchantId, item.code),
    entity: "code",
    incentiveId: item.incentiveId,
    merchantId: item.merchantId,
    offerId: item.offerId,
    storeId: item.storeId,
    storeIds: item.storeIds,
    code: item.code,
    codeKind: "unique",
    status: item.status ?? "issued",
    expiresAtMs: item.expiresAtMs,
    title: item.title ?? "10 % off",
    deviceRef: `ref_${item.incentiveId}`,
    expiresAt: Math.ceil(item.expiresAtMs / 1000) + 86_400,
  });
}

export async function putRecord(record: ConversionRecord) {
  await putItem(
    "CONVERSIONS_TABLE",
    conversionItem(record, Math.ceil(record.at / 1000) + 400 * 86_400),
  );
}

/**
 * Sets `attributes` on, and adds `fields` to, each item at `keys` in the conversions table, as
 * the write side's counter transaction does (the items are created when missing).
 */
export async function addToCounterItems(
  keys: Record<string, unknown>[],
  attributes: Record<string, unknown>,
  fields: Record<string, number>,
) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(attributes).map(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    return `#a${i} = :a${i}`;
  });
  const adds = Object.entries(fields).map(([f, n], i) => {
    names[`#f${i}`] = f;
    values[`:v${i}`] = n;
    return `#f${i} :v${i}`;
  });
  for (const Key of keys) {
    await documentClient.send(
      new UpdateCommand({
        TableName: env("CONVERSIONS_TABLE"),
        Key,
        UpdateExpression: `SET ${sets.join(", ")} ADD ${adds.join(", ")}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }
}

/** Counter increments on both counter items, as the write side's transaction does. */
export async function bumpCounters(
  merchantId: string,
  offerId: string,
  storeId: string,
  localDay: string,
  fields: Record<string, number>,
) {
  await addToCounterItems(
    [
      conversionKeys.offerCounters(merchantId, offerId, storeId, localDay),
      conversionKeys.storeCounters(merchantId, storeId, localDay, offerId),
    ],
    { merchantId, offerId, storeId, localDay },
    fields,
  );
}

export async function setBudgetUsed(offerId: string, sent: number) {
  await putItem("INCENTIVES_TABLE", { ...incentiveKeys.budget(offerId), sent, offerId });
}
