import type { ConversionRecord, ConversionType } from "../../shared/domain/conversion.ts";

/** How a synthetic conversion log cycles through its types, offers, stores and devices. */
export interface SyntheticLog {
  merchantId: string;
  /** The first record's instant (epoch ms); one record a minute after it. */
  t0: number;
  /** The store's local day every record is counted on (YYYY-MM-DD). */
  localDay: string;
  types: readonly ConversionType[];
  offerIds: readonly string[];
  storeIds: readonly string[];
  /** How many devices take turns (`ref_0` … `ref_{devices - 1}`). */
  devices: number;
}

/**
 * The `i`-th record of a synthetic conversion log: event id `evt_` and `i` on four digits (so ids
 * sort as `i` does up to 9,999), at `t0 + i` minutes, its type, offer and store the `i`-th of
 * their lists taken round (`list[i % list.length]`), device `ref_{i % devices}`. A test counts
 * what a filter or a page keeps from the same rule.
 */
export function loggedConversion(i: number, log: SyntheticLog): ConversionRecord {
  const nth = <T>(list: readonly T[]): T => list[i % list.length] as T;
  return {
    eventId: `evt_${String(i).padStart(4, "0")}`,
    type: nth(log.types),
    merchantId: log.merchantId,
    offerId: nth(log.offerIds),
    storeId: nth(log.storeIds),
    deviceRef: `ref_${i % log.devices}`,
    at: log.t0 + i * 60_000,
    localDay: log.localDay,
  };
}
