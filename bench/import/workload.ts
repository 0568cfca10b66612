/**
 * Import files for the import benchmark, as a merchant's GIS export would be: stores spread over
 * real cities (a chain's national and international network), each with the merchant's store
 * code, either as a Point (default 50 m footprint) or as a 1,000-vertex outline (250–500 m across
 * half-widths, a shopping centre), coordinates rounded to 5 decimals (≈ 1 m) so 300 of them fit
 * the 6 MB body.
 * Deterministic: a pure function of the seed and the spec.
 */
import { CITIES } from "../cities.ts";
import { thousandVertexRing } from "../index-shapes.ts";
import { itemSeed, mulberry32 } from "../rng.ts";

/** One import file: `points` Point features, then `polygons` Polygon features. */
export interface ImportFileSpec {
  label: string;
  points: number;
  polygons: number;
  /** Vertices of each polygon's ring (1,000: the documented maximum). */
  vertices: number;
  /** Decimals kept in polygon coordinates (6 ≈ 0.1 m): decides the body size. */
  decimals: number;
}

/** The two files the issue asks to time: the documented maxima. */
export const LIMIT_FILES: ImportFileSpec[] = [
  { label: "5,000 points", points: 5_000, polygons: 0, vertices: 0, decimals: 6 },
  {
    label: "300 polygons × 1,000 vertices",
    points: 0,
    polygons: 300,
    vertices: 1_000,
    decimals: 5,
  },
];

/** Small files for `--quick` (a smoke run). */
export const QUICK_FILES: ImportFileSpec[] = [
  { label: "60 points", points: 60, polygons: 0, vertices: 0, decimals: 6 },
  { label: "4 polygons × 1,000 vertices", points: 0, polygons: 4, vertices: 1_000, decimals: 5 },
];

const round = (x: number, decimals: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;

/** The features of an import file. */
export function importFeatures(seed: number, spec: ImportFileSpec): unknown[] {
  const features: unknown[] = [];
  const total = spec.points + spec.polygons;
  for (let i = 0; i < total; i++) {
    const rng = mulberry32(itemSeed(seed, 41, i));
    const city = CITIES[i % CITIES.length] as (typeof CITIES)[number];
    // Within about ±15 km of the centre, away from the poles' edge cases.
    const lat = Math.max(-84, Math.min(84, city.lat + (rng() - 0.5) * 0.27));
    const lon = ((city.lon + (rng() - 0.5) * 0.27 + 540) % 360) - 180;
    const properties = { name: `Store ${i}`, externalRef: `S-${String(i).padStart(5, "0")}` };
    if (i < spec.points) {
      features.push({
        type: "Feature",
        geometry: { type: "Point", coordinates: [round(lon, 6), round(lat, 6)] },
        properties,
      });
    } else {
      const ring = thousandVertexRing(lat, lon, 250 + rng() * 250).map(([x, y]) => [
        round(x as number, spec.decimals),
        round(y as number, spec.decimals),
      ]);
      features.push({
        type: "Feature",
        geometry: { type: "Polygon", coordinates: [ring] },
        properties,
      });
    }
  }
  return features;
}
