/**
 * A conversion log record as the API shows it: an allow-list of fields with the names of its
 * store and offer. Pure.
 */
import { type ConversionRecord, type ConversionType, NO_OFFER } from "../conversion.ts";
import { formatMinor } from "../money.ts";
import { type NameBook, NO_NAMES } from "./name-book.ts";

/**
 * A log record for marketing: an explicit allow-list of fields, so nothing else stored on the
 * item (keys, TTL, anything added later) reaches the caller. Devices appear only as `deviceRef`.
 * Names come from the catalog (or what it kept of deleted stores and offers), null if unknown.
 */
export interface ConversionView {
  eventId: string;
  type: ConversionType;
  at: string;
  localDay: string;
  offerId: string | null;
  offerName: string | null;
  storeId: string;
  storeName: string | null;
  storeCode: string | null;
  deviceRef: string;
  incentiveId: string | null;
  group: "treated" | "holdout" | null;
  reason: string | null;
  timeToVisitS: number | null;
  trigger: "entered" | "dwelled" | "pickup_arrived" | null;
  /** Basket total at redemption as a decimal string of `basketCurrency`. */
  basketAmount: string | null;
  basketCurrency: string | null;
  /** Online touches: channel (`geofence` for sends), creative variant, claim link, touch kind. */
  channel: string | null;
  variant: string | null;
  linkId: string | null;
  touch: "geofence" | "claim" | "exposure" | "web_claim" | null;
}

/** The API view of a stored log record, with the names of its store and offer. */
export function conversionView(
  record: ConversionRecord,
  names: NameBook = NO_NAMES,
): ConversionView {
  const offerId =
    record.offerId === undefined || record.offerId === NO_OFFER ? null : record.offerId;
  const store = names.stores.get(record.storeId);
  const basket =
    record.basketMinor !== undefined && record.basketCurrency !== undefined
      ? formatMinor(record.basketMinor, record.basketCurrency)
      : null;
  return {
    eventId: record.eventId,
    type: record.type,
    at: new Date(record.at).toISOString(),
    localDay: record.localDay,
    offerId,
    offerName: offerId === null ? null : (names.offers.get(offerId)?.name ?? null),
    storeId: record.storeId,
    storeName: store?.name ?? null,
    storeCode: store?.storeCode ?? null,
    deviceRef: record.deviceRef,
    incentiveId: record.incentiveId ?? null,
    group: record.group ?? null,
    reason: record.reason ?? null,
    timeToVisitS: record.timeToVisitS ?? null,
    trigger: record.trigger ?? null,
    basketAmount: basket,
    basketCurrency: basket === null ? null : (record.basketCurrency ?? null),
    channel: record.channel ?? null,
    variant: record.variant ?? null,
    linkId: record.linkId ?? null,
    touch: record.touch ?? null,
  };
}
