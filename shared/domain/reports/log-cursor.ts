/**
 * What a conversion log cursor may resume: the listing it belongs to and the positions that can
 * be this merchant's. Defence in depth on top of the cursor's signature. Pure.
 */
import { conversionKeys } from "../conversion.ts";
import type { ConversionQuery } from "./conversion-query.ts";

/**
 * The listing a cursor belongs to: every filter and bound, so a cursor replayed with other
 * filters (or another offer's index) is refused instead of resuming somewhere unintended.
 */
export function conversionListingScope(q: ConversionQuery): string {
  return [
    "conversions",
    q.offerId ?? "",
    q.storeId ?? "",
    q.type ?? "",
    q.from ?? "",
    q.to ?? "",
  ].join("|");
}

/**
 * Whether a decoded cursor position can belong to this merchant's listing: a defence in depth
 * on top of the cursor's signature, so a position never points into another partition.
 */
export function isLogPosition(
  key: Readonly<Record<string, string>>,
  merchantId: string,
  offerId: string | undefined,
): boolean {
  const names = Object.keys(key).sort().join(",");
  if (key.pk !== conversionKeys.logPartition(merchantId) || typeof key.sk !== "string")
    return false;
  if (offerId === undefined) return names === "pk,sk";
  return (
    names === "gsi1pk,gsi1sk,pk,sk" &&
    key.gsi1pk === conversionKeys.offerLogPartition(merchantId, offerId) &&
    key.gsi1sk === key.sk
  );
}
