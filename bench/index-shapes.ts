/**
 * Section 3, the index cost of one geofence: how many cell items its cover writes and how long
 * the cover takes, for the shapes the issue names. The cover is the real `coverZoneDetailed`
 * on the decoded stored geometry, exactly what the geo index adapter writes.
 */
import { decodeZone, encodeZone } from "../shared/domain/geometry/codec.ts";
import { coverZoneDetailed } from "../shared/domain/geometry/cover.ts";
import { wrapLon } from "../shared/domain/geometry/sphere.ts";
import type { ZoneGeometry } from "../shared/domain/geometry/types.ts";
import { destination } from "./geofences.ts";

/** A named benchmark shape. */
export interface IndexShape {
  shape: string;
  geometry: ZoneGeometry;
  characteristicRadiusM: number;
}

/** Figures for one shape; `putZone*` are filled in when DynamoDB Local is available. */
export interface IndexShapeResult {
  shape: string;
  /** Cell items the cover writes (one UpdateItem each), plus nothing else. */
  items: number;
  /** Mean CPU time of `coverZone` (ms), the part of indexing that is ours. */
  buildMs: number;
  baseResolution: number;
  /** Wall time of the real adapter's `putZone` against DynamoDB Local (ms). */
  putZoneMs: number | null;
  /** DynamoDB requests `putZone` sent (head read, cell writes, head write). */
  putZoneRequests: number | null;
  putZoneWriteUnits: number | null;
}

function round7(d: number): number {
  return Math.round(d * 1e7) / 1e7;
}

/** A smooth 1,000-vertex ring of about `radiusM` around a point (simple: radius varies gently). */
export function thousandVertexRing(lat: number, lon: number, radiusM: number): number[][] {
  const ring: number[][] = [];
  for (let k = 0; k < 1000; k++) {
    const a = (k / 1000) * 360;
    const r =
      radiusM *
      (0.8 + 0.15 * Math.sin((7 * a * Math.PI) / 180) + 0.05 * Math.cos((23 * a * Math.PI) / 180));
    const p = destination(lat, lon, r, 90 - a);
    ring.push([round7(wrapLon(p.lon)), round7(p.lat)]);
  }
  ring.push([...(ring[0] as number[])]);
  return ring;
}

/** The four shapes of the issue, in Tokyo (away from the ingest workload's geofences). */
export function indexShapes(): IndexShape[] {
  const lat = 35.6762;
  const lon = 139.6503;
  const circle = (radiusM: number): ZoneGeometry => ({
    type: "Circle",
    center: { lat, lon },
    radiusM,
  });
  return [
    { shape: "circle 200 m", geometry: circle(200), characteristicRadiusM: 200 },
    { shape: "circle 2 km", geometry: circle(2000), characteristicRadiusM: 2000 },
    { shape: "circle 50 km", geometry: circle(50_000), characteristicRadiusM: 50_000 },
    {
      shape: "polygon 1,000 vertices (≈1.5 km)",
      geometry: { type: "Polygon", coordinates: [thousandVertexRing(lat, lon, 1500)] },
      characteristicRadiusM: 1500,
    },
  ];
}

/**
 * Cover size and cover CPU time of a shape: thread CPU time is accounted in scheduler ticks of a
 * few ms, so the cover is repeated until 250 ms have accumulated and the mean is reported.
 */
export function measureShapeCover(shape: IndexShape): IndexShapeResult {
  const stored = decodeZone(encodeZone(shape.geometry));
  let cover = coverZoneDetailed(stored);
  let runs = 0;
  const t0 = process.threadCpuUsage();
  let used = 0;
  do {
    cover = coverZoneDetailed(stored);
    runs++;
    const t = process.threadCpuUsage(t0);
    used = t.user + t.system;
  } while (used < 250_000 || runs < 3);
  return {
    shape: shape.shape,
    items: cover.cells.length,
    buildMs: used / 1000 / runs,
    baseResolution: cover.baseResolution,
    putZoneMs: null,
    putZoneRequests: null,
    putZoneWriteUnits: null,
  };
}
