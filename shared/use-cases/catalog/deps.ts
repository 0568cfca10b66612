import type { ZoneDefinition } from "../../domain/zone.ts";
import type { CursorCodec } from "../../http/cursor.ts";
import type { Clock, Random } from "../../ports.ts";
import type { CatalogStore } from "../ports/catalog-store.ts";
import type { GeoIndex } from "../ports/geo-index-port.ts";
import type { Geocoder } from "../ports/geocoder.ts";
import type { MerchantSettingsStore } from "../ports/merchant-settings-store.ts";
import type { OfferStateReader } from "../ports/offer-state-reader.ts";
import type { StorePoints } from "../ports/store-points.ts";

export interface CatalogDeps {
  catalog: CatalogStore;
  geoIndex: Pick<GeoIndex, "putZone" | "removeZone">;
  geocoder: Geocoder;
  cursors: CursorCodec;
  /** H3 cover of a zone: the function the index uses, for cell counts before any write. */
  cover: (zone: ZoneDefinition) => string[];
  clock: Clock;
  random: Random;
  /** Zones indexed at once in bulk operations (default 8). */
  indexConcurrency?: number;
  /** Store locations for "offers near me" (optional: absent in tests that do not need it). */
  storePoints?: StorePoints | undefined;
  /** Budget use and store zones for offers' derived `state` (absent: budget reads as 0). */
  offerStates?: OfferStateReader | undefined;
  /** The merchant's default quiet hours, for the "can this offer fire?" check. */
  merchantSettings?: Pick<MerchantSettingsStore, "get"> | undefined;
}

/**
 * What the catalog's read routes use (store and offer reads and listings): no index writes,
 * covers, geocoder or store points, so their functions bundle none of that code (h3-js, the
 * Amazon Location client).
 */
export type CatalogReadDeps = Pick<
  CatalogDeps,
  "catalog" | "cursors" | "clock" | "offerStates" | "merchantSettings"
>;

/** The clock reading as an ISO 8601 instant (`createdAt`, `updatedAt`, `deletedAt`). */
export function nowIso(deps: CatalogDeps): string {
  return new Date(deps.clock.now()).toISOString();
}
