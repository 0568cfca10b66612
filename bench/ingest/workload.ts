/**
 * The ingest workload: stores with a footprint and an offer's trigger zone in a shopping
 * district, and devices that walk in a residential area with no geofence and, in a controlled
 * share of their batches, visit a store (ten pings inside, long enough to dwell). The in-zone
 * share of pings is therefore set by construction: 10 of 50 pings in a visit batch, visits in
 * `5 × share` of the batches.
 */
import { wrapLon } from "../../shared/domain/geometry/sphere.ts";
import type { City } from "../cities.ts";
import { addGpsNoise, destination } from "../geofences.ts";
import { itemSeed, logUniform, mulberry32, type Rng } from "../rng.ts";

/** Pings per request, as the cost model assumes. */
export const PINGS_PER_BATCH = 50;
/** Pings inside a zone in a visit batch. */
export const VISIT_PINGS = 10;
const WALK_STEP_S = 15;
const VISIT_STEP_S = 20;
const GAP_S = 20 * 60;

/** Where the workload happens: the shopping district and the zone-free residential area. */
export interface IngestLayout {
  city: City;
  /** Stores lie within this distance of the city centre. */
  districtRadiusM: number;
  /** Centre of the walking area (no geofence within several km). */
  freeArea: { lat: number; lon: number };
}

/** A store with its footprint circle and one offer with a circular trigger zone. */
export interface IngestStore {
  index: number;
  lat: number;
  lon: number;
  footprintRadiusM: number;
  triggerRadiusM: number;
}

/** A ping as the device posts it. */
export interface PostedPing {
  lat: number;
  lon: number;
  accuracyM: number;
  timestamp: number;
  speedMps: number;
}

/** One request's worth of pings. */
export interface DeviceBatch {
  pings: PostedPing[];
  /** Store visited in this batch, if any. */
  visitedStore: number | undefined;
}

/** The layout around a city: stores within 2 km, walkers 9 km east of the centre. */
export function ingestLayout(city: City): IngestLayout {
  const free = destination(city.lat, city.lon, 9000, 90);
  return { city, districtRadiusM: 2000, freeArea: { lat: free.lat, lon: wrapLon(free.lon) } };
}

const STORE_STREAM = 11;
const DEVICE_STREAM = 12;

/** Store `index`: uniformly spread over the district, 30–80 m footprint, 200–400 m trigger. */
export function ingestStore(seed: number, layout: IngestLayout, index: number): IngestStore {
  const rnd = mulberry32(itemSeed(seed, STORE_STREAM, index));
  const p = destination(
    layout.city.lat,
    layout.city.lon,
    layout.districtRadiusM * Math.sqrt(rnd()),
    rnd() * 360,
  );
  const round7 = (d: number) => Math.round(d * 1e7) / 1e7;
  return {
    index,
    lat: round7(p.lat),
    lon: round7(wrapLon(p.lon)),
    footprintRadiusM: Math.round(logUniform(rnd, 30, 80)),
    triggerRadiusM: Math.round(logUniform(rnd, 200, 400)),
  };
}

function walk(
  rnd: Rng,
  from: { lat: number; lon: number; heading: number },
  pings: number,
  t0: number,
  out: PostedPing[],
) {
  let { lat, lon, heading } = from;
  let t = t0;
  for (let i = 0; i < pings; i++) {
    heading += (rnd() - 0.5) * 60;
    const step = destination(lat, lon, 1.3 * WALK_STEP_S * (0.6 + 0.8 * rnd()), heading);
    lat = step.lat;
    lon = wrapLon(step.lon);
    const accuracyM = logUniform(rnd, 4, 20);
    out.push({ ...addGpsNoise(rnd, lat, lon, accuracyM), accuracyM, timestamp: t, speedMps: 1.3 });
    t += WALK_STEP_S * 1000;
  }
  return { lat, lon, heading, t };
}

/**
 * The batches of device `device`, starting at `startMs` one hour apart: a walk in the free area,
 * and in batches listed in `visits` (batch → store) a visit of VISIT_PINGS pings inside the
 * store's footprint between two walks, separated by 20-minute gaps (no teleport, no drive-by).
 */
export function deviceBatches(
  seed: number,
  layout: IngestLayout,
  device: number,
  batches: number,
  visits: ReadonlyMap<number, IngestStore>,
  startMs: number,
): DeviceBatch[] {
  const rnd = mulberry32(itemSeed(seed, DEVICE_STREAM, device));
  const home = destination(
    layout.freeArea.lat,
    layout.freeArea.lon,
    1500 * Math.sqrt(rnd()),
    rnd() * 360,
  );
  let at = { lat: home.lat, lon: wrapLon(home.lon), heading: rnd() * 360 };
  const out: DeviceBatch[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = startMs + b * 3_600_000;
    const pings: PostedPing[] = [];
    const store = visits.get(b);
    if (!store) {
      at = walk(rnd, at, PINGS_PER_BATCH, t0, pings);
    } else {
      const before = walk(rnd, at, 20, t0, pings);
      let t = before.t + GAP_S * 1000;
      for (let i = 0; i < VISIT_PINGS; i++) {
        const p = destination(
          store.lat,
          store.lon,
          Math.min(15, store.footprintRadiusM / 2) * Math.sqrt(rnd()),
          rnd() * 360,
        );
        const accuracyM = logUniform(rnd, 5, 12);
        pings.push({
          ...addGpsNoise(rnd, p.lat, wrapLon(p.lon), accuracyM),
          accuracyM,
          timestamp: t,
          speedMps: 0.3,
        });
        t += VISIT_STEP_S * 1000;
      }
      at = walk(rnd, before, PINGS_PER_BATCH - 20 - VISIT_PINGS, t + GAP_S * 1000, pings);
    }
    out.push({ pings, visitedStore: store?.index });
  }
  return out;
}

/**
 * Which of `total` batches carry a visit so that `share` of all pings are in a zone: exactly
 * round(total × share × 50 / 10) of them, picked by a seeded shuffle.
 */
export function visitBatches(
  seed: number,
  stream: number,
  total: number,
  share: number,
): Set<number> {
  const want = Math.min(total, Math.round((total * share * PINGS_PER_BATCH) / VISIT_PINGS));
  const order = Array.from({ length: total }, (_, i) => i);
  const rnd = mulberry32(itemSeed(seed, 13, stream));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return new Set(order.slice(0, want));
}
