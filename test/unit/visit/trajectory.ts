import distance from "@turf/distance";
import type {
  Ping,
  PingObservation,
  ZoneEvent,
  ZoneKind,
  ZoneRef,
} from "../../../shared/domain/visit/index.ts";
import { offsetM } from "../../support/geo.ts";

/** A store on the Place de la République, Paris. */
export const STORE = { lat: 48.8675, lon: 2.3638 };
/** Start of every scripted trajectory (epoch ms). */
export const T0 = Date.UTC(2025, 5, 2, 10, 0, 0);

/** Moves a point by metres east and north (local flat-earth, exact enough below a few km). */
export const offset = offsetM;

/** A circular zone of the test world. */
export interface CircleZone {
  ref: ZoneRef;
  center: { lat: number; lon: number };
  radiusM: number;
}

/** Builds a circular zone; characteristicRadiusM is its radius. */
export function circle(
  zoneId: string,
  kind: ZoneKind,
  center: { lat: number; lon: number },
  radiusM: number,
  options: { dwellSeconds?: number; storeId?: string; offerId?: string } = {},
): CircleZone {
  const ref: ZoneRef = {
    zoneId,
    kind,
    characteristicRadiusM: radiusM,
    dwellSeconds: options.dwellSeconds ?? 0,
    merchantId: "m-1",
    storeId: options.storeId ?? "s-1",
  };
  if (options.offerId !== undefined) ref.offerId = options.offerId;
  return { ref, center, radiusM };
}

/** Options of one scripted ping. */
export interface PingExtra {
  accuracyM?: number;
  speedMps?: number;
  isMock?: boolean;
  id?: string;
}

/** A ping at (east, north) metres from `origin`, `seconds` after T0. */
export function pingAt(
  eastM: number,
  northM: number,
  seconds: number,
  extra: PingExtra = {},
  origin: { lat: number; lon: number } = STORE,
): Ping {
  const { lat, lon } = offset(origin, eastM, northM);
  const ping: Ping = { lat, lon, accuracyM: extra.accuracyM ?? 10, timestamp: T0 + seconds * 1000 };
  if (extra.speedMps !== undefined) ping.speedMps = extra.speedMps;
  if (extra.isMock !== undefined) ping.isMock = extra.isMock;
  if (extra.id !== undefined) ping.id = extra.id;
  return ping;
}

/**
 * Pings along the east axis from `fromE` to `toE` (inclusive) every `stepM` metres, one every
 * `everyS` seconds starting at `startS`; ids are `${idPrefix}${i}`.
 */
export function eastwards(
  fromE: number,
  toE: number,
  stepM: number,
  everyS: number,
  startS: number,
  extra: PingExtra & { idPrefix?: string } = {},
): Ping[] {
  const pings: Ping[] = [];
  const n = Math.round((toE - fromE) / stepM);
  for (let i = 0; i <= n; i++) {
    const { idPrefix, ...rest } = extra;
    const withId = idPrefix === undefined ? rest : { ...rest, id: `${idPrefix}${i}` };
    pings.push(pingAt(fromE + i * stepM, 0, startS + i * everyS, withId));
  }
  return pings;
}

/** Signed distance of a ping to a circle: negative inside. */
export function signedDistance(ping: Ping, zone: CircleZone): number {
  const metres = distance([ping.lon, ping.lat], [zone.center.lon, zone.center.lat], {
    units: "meters",
  });
  return metres - zone.radiusM;
}

/** Matches pings against the whole test world (every zone listed: satisfies the contract). */
export function observe(world: readonly CircleZone[], pings: readonly Ping[]): PingObservation[] {
  return pings.map((ping) => ({
    ping,
    zones: world.map((zone) => ({ zone: zone.ref, signedDistanceM: signedDistance(ping, zone) })),
  }));
}

/** Compact, exact rendering of events for assertions: `type zone @seconds`. */
export function brief(events: readonly ZoneEvent[]): string[] {
  return events.map((event) => `${event.type} ${event.zoneId} @${(event.at - T0) / 1000}`);
}
