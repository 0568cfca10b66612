/**
 * Validation of zone geometries as zod 4 schemas. They double as the OpenAPI description of
 * the zone fields, so they stay plain objects and unions; the deep checks (ring closure,
 * self-intersection, holes, area) run in `.superRefine` and name the exact position at fault.
 */
import { area as turfArea } from "@turf/area";
import type { Polygon } from "geojson";
import * as z from "zod";
import { type FieldIssue, ValidationError } from "../../errors.ts";
import { dedupeRing, type Ring, unwrapPolygon } from "./rings.ts";
import type { ZoneGeometry } from "./types.ts";
import { checkRings, ringInside } from "./validity.ts";

/** Most vertices in one zone (all rings together; the closing position is not counted). */
export const MAX_ZONE_VERTICES = 1_000;
/** A polygon must be larger than this (m²): anything smaller is a typo, not a store. */
export const MIN_POLYGON_AREA_M2 = 1;
/** A zone must be smaller than this (m², i.e. 20,000 km²): a region, not a continent. */
export const MAX_ZONE_AREA_M2 = 20_000 * 1e6;

/** Radius bounds of circle zones; they differ between footprints and trigger zones. */
export interface RadiusBounds {
  minRadiusM: number;
  maxRadiusM: number;
}

type Path = (string | number)[];
type Ctx = z.RefinementCtx;

const positionSchema = z
  .array(z.number({ error: "must be a finite number" }))
  .min(2, { error: "a position needs a longitude and a latitude" })
  .max(3, { error: "a position has at most longitude, latitude and altitude" })
  .describe("[lon, lat] or [lon, lat, altitude], degrees WGS 84; the altitude is ignored");

const ringSchema = z
  .array(positionSchema)
  .describe("A closed linear ring: at least 4 positions, the last repeating the first");

const polygonRingsSchema = z
  .array(ringSchema)
  .min(1, { error: "a polygon needs an outer ring" })
  .describe(
    "The outer ring, then holes. Any winding is accepted (normalised to RFC 7946); a ring whose " +
      "longitude jumps by more than 180° between two positions crosses the antimeridian.",
  );

function isRings(v: unknown): v is number[][][] {
  return (
    Array.isArray(v) &&
    v.every(
      (ring) =>
        Array.isArray(ring) &&
        ring.every(
          (p) =>
            Array.isArray(p) &&
            p.length >= 2 &&
            p.length <= 3 &&
            p.every((n) => typeof n === "number" && Number.isFinite(n)),
        ),
    )
  );
}

function closed(ring: Ring): number[][] {
  const out = ring.map(([x, y]) => [x, y]);
  if (ring[0]) out.push([ring[0][0], ring[0][1]]);
  return out;
}

function asPolygon(rings: Ring[]): Polygon {
  return { type: "Polygon", coordinates: rings.map(closed) };
}

function fmt(n: number): string {
  return String(Math.round(n * 1e7) / 1e7);
}

/** Ring with consecutive duplicates removed, and for each kept vertex its original index. */
function dedupeWithIndex(ring: Ring): { ring: Ring; index: number[] } {
  const out: Ring = [];
  const index: number[] = [];
  ring.forEach((p, i) => {
    const prev = out[out.length - 1];
    if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) {
      out.push(p);
      index.push(i);
    }
  });
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) {
    out.pop();
    index.pop();
  }
  return { ring: out, index };
}

/**
 * The checks of one polygon (`base` is the path of its ring list). Returns its area in m², or
 * undefined when it is invalid (then the zone-wide area check is skipped).
 */
function checkPolygon(rings: number[][][], base: Path, ctx: Ctx): number | undefined {
  const issue = (path: Path, message: string) =>
    ctx.addIssue({ code: "custom", message, path: [...base, ...path] });
  let bad = false;

  rings.forEach((ring, i) => {
    ring.forEach((p, j) => {
      const [lon, lat] = p as [number, number];
      if (lon < -180 || lon > 180) {
        issue([i, j, 0], "the longitude must be within [-180, 180]");
        bad = true;
      }
      if (lat < -90 || lat > 90) {
        issue([i, j, 1], "the latitude must be within [-90, 90]");
        bad = true;
      }
    });
    if (ring.length < 4) {
      issue([i], `a linear ring needs at least 4 positions (found ${ring.length})`);
      bad = true;
      return;
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      issue(
        [i, ring.length - 1],
        "the ring is not closed: its last position must repeat the first",
      );
      bad = true;
    }
  });
  if (bad) return undefined;

  rings.forEach((ring, i) => {
    for (let j = 1; j < ring.length; j++) {
      if (Math.abs((ring[j]?.[0] as number) - (ring[j - 1]?.[0] as number)) === 180) {
        issue([i, j], "this edge spans exactly 180° of longitude, so its direction is ambiguous");
        bad = true;
      }
    }
  });
  if (bad) return undefined;

  // From here on, longitudes are unwrapped: a ring crossing ±180 is one continuous ring.
  const unwrapped = unwrapPolygon(rings);
  unwrapped.windings.forEach((w, i) => {
    if (w !== 0) {
      issue([i], "the ring encircles a pole; describe a polar zone as a Circle");
      bad = true;
    }
  });
  if (bad) return undefined;

  const clean = unwrapped.rings.map((r) => dedupeWithIndex(r));
  const check = checkRings(clean.map((c) => c.ring));
  for (const fault of check.selfFaults) {
    const { index } = clean[fault.ring] as { index: number[] };
    const [x, y] = fault.at;
    issue(
      [fault.ring, index[fault.edge] ?? 0],
      `the ring intersects itself near [${fmt(x)}, ${fmt(y)}]`,
    );
    bad = true;
  }
  if (bad) return undefined;

  if (check.pairFault) {
    const { ring, other, kind, at } = check.pairFault;
    issue(
      [ring],
      `ring ${ring} ${kind === "cross" ? "crosses" : "shares a segment with"} ring ${other} ` +
        `near [${fmt(at[0])}, ${fmt(at[1])}] (rings may only touch at single points)`,
    );
    return undefined;
  }

  const shell = (clean[0] as { ring: Ring }).ring;
  for (let h = 1; h < clean.length; h++) {
    const hole = (clean[h] as { ring: Ring }).ring;
    if (hole.length < 3 || shell.length < 3) continue;
    if (!ringInside(hole, shell)) {
      issue([h], "the hole is not inside the outer ring");
      bad = true;
      continue;
    }
    for (let o = 1; o < clean.length; o++) {
      const other = (clean[o] as { ring: Ring }).ring;
      if (o !== h && other.length >= 3 && ringInside(hole, other)) {
        issue([h], `the hole lies inside hole ${o}`);
        bad = true;
        break;
      }
    }
  }
  if (bad) return undefined;

  if (check.splitAt) {
    const [x, y] = check.splitAt.at;
    issue(
      [check.splitAt.ring],
      `the rings touching near [${fmt(x)}, ${fmt(y)}] close a loop that splits the interior ` +
        "in two (a hole may touch the outer ring or another hole at one point only)",
    );
    return undefined;
  }

  const areaM2 = turfArea(asPolygon(clean.map((c) => dedupeRing(c.ring))));
  if (!(areaM2 > MIN_POLYGON_AREA_M2)) {
    issue(
      [],
      `the area must be more than ${MIN_POLYGON_AREA_M2} m² (found ${areaM2.toFixed(2)} m²)`,
    );
    return undefined;
  }
  return areaM2;
}

function checkZone(polygons: number[][][][], bases: Path[], ctx: Ctx): void {
  let vertices = 0;
  for (const rings of polygons) for (const ring of rings) vertices += Math.max(0, ring.length - 1);
  if (vertices > MAX_ZONE_VERTICES) {
    ctx.addIssue({
      code: "custom",
      message: `a zone has at most ${MAX_ZONE_VERTICES} vertices (found ${vertices})`,
      path: ["coordinates"],
    });
    return; // the deeper checks are not for oversized input
  }
  let total = 0;
  let complete = true;
  polygons.forEach((rings, p) => {
    const a = checkPolygon(rings, bases[p] as Path, ctx);
    if (a === undefined) complete = false;
    else total += a;
  });
  if (complete && total >= MAX_ZONE_AREA_M2) {
    ctx.addIssue({
      code: "custom",
      message: `the area must be less than 20,000 km² (found ${Math.round(total / 1e6)} km²)`,
      path: ["coordinates"],
    });
  }
}

/** A circle zone: centre and radius in metres within the caller's bounds. */
export function circleSchema({ minRadiusM, maxRadiusM }: RadiusBounds) {
  const radiusError = `the radius must be between ${minRadiusM} and ${maxRadiusM} m`;
  return z
    .object({
      type: z.literal("Circle"),
      center: z
        .object({
          lat: z
            .number({ error: "must be a finite number" })
            .min(-90, { error: "the latitude must be within [-90, 90]" })
            .max(90, { error: "the latitude must be within [-90, 90]" })
            .describe("Latitude, degrees WGS 84"),
          lon: z
            .number({ error: "must be a finite number" })
            .min(-180, { error: "the longitude must be within [-180, 180]" })
            .max(180, { error: "the longitude must be within [-180, 180]" })
            .describe("Longitude, degrees WGS 84"),
        })
        .describe("Centre of the circle"),
      radiusM: z
        .number({ error: "must be a finite number" })
        .min(minRadiusM, { error: radiusError })
        .max(maxRadiusM, { error: radiusError })
        .describe("Radius in metres (great-circle distance)"),
    })
    .describe("Every point within radiusM metres of center; may contain a pole");
}

/** A GeoJSON Polygon zone (RFC 7946), holes allowed. */
export const polygonSchema = z
  .object({
    type: z.literal("Polygon"),
    coordinates: polygonRingsSchema,
  })
  .superRefine((g, ctx) => {
    if (isRings(g.coordinates)) checkZone([g.coordinates], [["coordinates"]], ctx);
  })
  .describe(
    `GeoJSON Polygon: simple rings, holes inside the outer ring, at most ${MAX_ZONE_VERTICES} ` +
      "vertices, area between 1 m² and 20,000 km²",
  );

/** A GeoJSON MultiPolygon zone; its polygons may overlap (the zone is their union). */
export const multiPolygonSchema = z
  .object({
    type: z.literal("MultiPolygon"),
    coordinates: z
      .array(polygonRingsSchema)
      .min(1, { error: "a MultiPolygon needs at least one polygon" })
      .describe("Polygons (each: outer ring, then holes)"),
  })
  .superRefine((g, ctx) => {
    if (g.coordinates.every(isRings)) {
      checkZone(
        g.coordinates,
        g.coordinates.map((_, p) => ["coordinates", p]),
        ctx,
      );
    }
  })
  .describe(
    `GeoJSON MultiPolygon: every polygon valid on its own, at most ${MAX_ZONE_VERTICES} ` +
      "vertices and 20,000 km² in total",
  );

const zoneSchemas = new Map<string, ReturnType<typeof buildZoneSchema>>();

function buildZoneSchema(bounds: RadiusBounds) {
  return z
    .discriminatedUnion("type", [circleSchema(bounds), polygonSchema, multiPolygonSchema], {
      error: (iss) =>
        iss.code === "invalid_union" ? "type must be Circle, Polygon or MultiPolygon" : undefined,
    })
    .describe("A zone: a Circle, or a GeoJSON Polygon or MultiPolygon ([lon, lat] positions)");
}

/** Any zone geometry, discriminated on `type` (one schema instance per radius bounds). */
export function zoneGeometrySchema(bounds: RadiusBounds) {
  const key = `${bounds.minRadiusM}:${bounds.maxRadiusM}`;
  let schema = zoneSchemas.get(key);
  if (!schema) {
    schema = buildZoneSchema(bounds);
    zoneSchemas.set(key, schema);
  }
  return schema;
}

/**
 * Zod issues as Footfall field issues, paths slash-separated under `prefix` (e.g. prefix
 * "footprint" and path ["coordinates", 0, 3] give "footprint/coordinates/0/3").
 */
export function zodIssuesToFieldIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: string,
): FieldIssue[] {
  return issues.map((i) => ({
    path: [prefix, ...i.path.map((k) => String(k))].filter((s) => s !== "").join("/"),
    reason: i.message,
  }));
}

/**
 * Parses untrusted input into a zone geometry, or throws a ValidationError (400) naming every
 * faulty field under `path`. Winding is not checked: `normalizeZoneGeometry` fixes it.
 */
export function parseZoneGeometry(
  input: unknown,
  options: RadiusBounds & { path: string },
): ZoneGeometry {
  const result = zoneGeometrySchema(options).safeParse(input);
  if (result.success) return result.data;
  const issues = zodIssuesToFieldIssues(result.error.issues, options.path);
  const first = issues[0];
  throw new ValidationError(first ? `${first.path}: ${first.reason}` : `${options.path}: invalid`, {
    issues,
  });
}
