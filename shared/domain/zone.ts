import { DEFAULT_VISIT_RULES } from "./visit/rules.ts";

/**
 * A zone as the matcher sees it: one geometry with the references an event needs. Stores own one
 * footprint zone and their pickup bays; offers own one trigger zone per listed store (StoreRadius)
 * or one explicit zone. Bays never open visits: only pickups read them.
 */
export interface ZoneDefinition {
  zoneId: string;
  kind: "footprint" | "trigger" | "bay";
  merchantId: string;
  storeId: string;
  offerId?: string | undefined;
  /** Encoded geometry (geometry codec), small enough to live in every index item. */
  geometry: string;
  /** Radius used by the accuracy rule (circle radius, or equal-area radius of a polygon). */
  characteristicRadiusM: number;
  /** Seconds inside before `dwelled` fires. */
  dwellSeconds: number;
}

/** Default dwell for store footprints (a visit): the visit rules' default, one source. */
export const DEFAULT_FOOTPRINT_DWELL_SECONDS = DEFAULT_VISIT_RULES.defaultFootprintDwellS;

/** Zone ids are derived, so a store or offer maps to its zones without a lookup. */
export const zoneIds = {
  footprint: (storeId: string) => `fp.${storeId}`,
  trigger: (offerId: string, storeId: string) => `tz.${offerId}.${storeId}`,
  /** The `n`-th pickup bay of a store (0-based, in the order the store lists them). */
  bay: (storeId: string, n: number) => `bay.${storeId}.${n}`,
};
