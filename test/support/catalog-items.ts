/**
 * Catalog entities as the catalog stores them, for tests that read the catalog (reports,
 * redemptions, decisions) without going through the merchant API: one place for their shape,
 * shared by the DynamoDB fixtures and the in-memory catalog.
 */
import type { Offer } from "../../shared/domain/catalog/offer.ts";
import type { Store } from "../../shared/domain/catalog/store.ts";

const STAMP = "2026-01-01T00:00:00.000Z";

/** A stored store `storeId`: a 30 m circle in central Paris, in `timeZone`. */
export function storedStore(merchantId: string, storeId: string, timeZone = "Europe/Paris"): Store {
  return {
    merchantId,
    storeId,
    name: `Store ${storeId}`,
    location: { lat: 48.86, lon: 2.34 },
    locationSource: "request",
    timeZone,
    footprint: { type: "Circle", center: { lat: 48.86, lon: 2.34 }, radiusM: 30 },
    zoneCells: 1,
    offerIds: [],
    version: 1,
    createdAt: STAMP,
    updatedAt: STAMP,
  };
}

/**
 * A stored, active offer `offerId` (500 m store-radius trigger on entry, 20 % holdout, 24 h
 * attribution, unique codes valid 48 h) valid from 2026-01-01 until 2099, with `patch` on top.
 */
export function storedOffer(
  merchantId: string,
  offerId: string,
  patch: Partial<Offer> = {},
): Offer {
  return {
    merchantId,
    offerId,
    status: "active",
    name: `Offer ${offerId}`,
    storeIds: [],
    triggerZone: { type: "StoreRadius", radiusM: 500 },
    trigger: { on: "enter" },
    message: { title: `Title ${offerId}`, body: "body" },
    validFrom: STAMP,
    validTo: "2099-01-01T00:00:00.000Z",
    caps: {},
    holdoutPercent: 20,
    attributionWindowHours: 24,
    redemption: { codeKind: "unique", expiresAfterHours: 48 },
    priority: 0,
    triggerRadiusM: 500,
    zoneCells: 0,
    version: 1,
    createdAt: STAMP,
    updatedAt: STAMP,
    ...patch,
  };
}

/**
 * A valid `POST /v1/offers` body for `storeIds` ("Lunch −15 %": 200 m store-radius trigger on
 * entry, valid through 2026, 20 % holdout, 48 h attribution, unique codes valid 24 h), with
 * `overrides` on top: each test changes only what it is about.
 */
export function offerRequest(
  storeIds: string[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: "Lunch −15 %",
    storeIds,
    triggerZone: { type: "StoreRadius", radiusM: 200 },
    trigger: { on: "enter" },
    message: { title: "Lunch nearby?", body: "15 % off until 14:30." },
    validFrom: "2026-01-01T00:00:00Z",
    validTo: "2027-01-01T00:00:00Z",
    holdoutPercent: 20,
    attributionWindowHours: 48,
    redemption: { codeKind: "unique", expiresAfterHours: 24 },
    ...overrides,
  };
}
