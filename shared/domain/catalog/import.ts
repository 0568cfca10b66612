/**
 * `POST /v1/stores:import`: a GeoJSON FeatureCollection of stores. Every feature is validated
 * with the same rules as a single store, and every error names its feature and JSON path, so
 * a merchant can fix a 5,000-line file in one round trip.
 */
import * as z from "zod";
import { type FieldIssue, formatPath } from "../../errors.ts";
import { weeklyScheduleSchema } from "../decision/offer-rules.ts";
import { multiPolygonSchema, polygonSchema } from "../geometry/index.ts";
import { latLonSchema, timeZoneSchema } from "./common.ts";
import { type StoreInput, storeInputSchema } from "./store.ts";

export const MAX_IMPORT_FEATURES = 5_000;
/** The import route accepts bodies up to 6 MB (the Lambda synchronous payload limit). */
export const IMPORT_MAX_BODY_BYTES = 6 * 1024 * 1024;
/** Footprint radius of a store given as a Point without `properties.radiusM`. */
export const DEFAULT_POINT_RADIUS_M = 30;

/** An import error: the JSON path from the body's root and, for a feature, its index. */
export interface ImportIssue extends FieldIssue {
  index?: number;
}

const pointSchema = z
  .object({
    type: z.literal("Point"),
    coordinates: z
      .array(z.number({ error: "must be a finite number" }))
      .min(2, { error: "a position needs a longitude and a latitude" })
      .max(3, { error: "a position has at most longitude, latitude and altitude" })
      .describe("[lon, lat]: the store's location; the footprint is a circle around it"),
  })
  .describe("A store as a point: its footprint is a circle of properties.radiusM around it");

/** What `properties` may carry; other properties are ignored (GeoJSON tools add their own). */
export const importPropertiesSchema = z
  .object({
    name: storeInputSchema.shape.name,
    externalRef: storeInputSchema.shape.externalRef,
    address: storeInputSchema.shape.address,
    location: latLonSchema.optional().describe("Overrides the point / footprint centre"),
    timeZone: timeZoneSchema.optional(),
    openingHours: weeklyScheduleSchema.optional(),
    pickupBays: storeInputSchema.shape.pickupBays,
    radiusM: z
      .number()
      .optional()
      .describe(
        `Footprint radius for Point features (5 – 2,000 m, default ${DEFAULT_POINT_RADIUS_M})`,
      ),
  })
  .describe("Store fields; unknown properties are ignored");

/** RFC 7946 §5: a FeatureCollection may carry a bounding box; nothing else is ours to accept. */
const bboxSchema = z
  .array(z.number())
  .refine((b) => b.length === 4 || b.length === 6, "must hold 4 or 6 numbers (RFC 7946 §5)")
  .optional();

/** The documented shape of an import body (the parser below applies the full store rules). */
export const storeImportSchema = z
  .strictObject({
    type: z.literal("FeatureCollection"),
    bbox: bboxSchema,
    features: z
      .array(
        z.object({
          type: z.literal("Feature"),
          id: z.union([z.string(), z.number()]).optional(),
          geometry: z.discriminatedUnion("type", [pointSchema, polygonSchema, multiPolygonSchema]),
          properties: importPropertiesSchema,
        }),
      )
      .min(1, "must contain at least one feature")
      .max(MAX_IMPORT_FEATURES, `must contain at most ${MAX_IMPORT_FEATURES} features`),
  })
  .describe(
    "GeoJSON FeatureCollection of stores: Point (circle footprint), Polygon or MultiPolygon " +
      "(footprint) geometries; properties map to store fields. All or nothing.",
  );

/**
 * The import body's top level is strict: a member we do not know (a typo such as `feature`, or
 * `__proto__`) is a 400 naming it rather than silently ignored.
 */
const envelopeSchema = z.strictObject({
  type: z.literal("FeatureCollection"),
  bbox: bboxSchema,
  features: z
    .array(z.unknown())
    .min(1, "must contain at least one feature")
    .max(MAX_IMPORT_FEATURES, `must contain at most ${MAX_IMPORT_FEATURES} features`),
});

const featureEnvelopeSchema = z.object({
  type: z.literal("Feature"),
  geometry: z.object({ type: z.enum(["Point", "Polygon", "MultiPolygon"]) }).loose(),
  properties: z.record(z.string(), z.unknown()),
});

const STORE_FIELDS = [
  "name",
  "externalRef",
  "address",
  "location",
  "timeZone",
  "openingHours",
  "pickupBays",
];

/** Maps a path of the assembled store input back to where it came from in the feature. */
function featurePath(storePath: readonly PropertyKey[], isPoint: boolean): PropertyKey[] {
  const [head, ...rest] = storePath;
  if (head !== "footprint") return ["properties", ...storePath];
  if (!isPoint) return ["geometry", ...rest];
  const [field, axis] = rest;
  if (field === "radiusM") return ["properties", "radiusM"];
  if (field === "center") return ["geometry", "coordinates", axis === "lat" ? 1 : 0];
  return ["geometry", ...rest];
}

export type ImportParse = { ok: true; stores: StoreInput[] } | { ok: false; issues: ImportIssue[] };

function issuesOf(error: z.ZodError, prefix: PropertyKey[], index: number): ImportIssue[] {
  return error.issues.map((i) => ({
    index,
    path: formatPath("", [...prefix, ...i.path]),
    reason: i.message,
  }));
}

/**
 * Validates every feature of an import body (never stopping at the first bad one) and returns
 * either all store inputs or all errors. A Point becomes a circle footprint around it.
 */
export function parseStoreImport(body: unknown): ImportParse {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) {
    return {
      ok: false,
      issues: envelope.error.issues.flatMap((i) =>
        i.code === "unrecognized_keys"
          ? i.keys.map((key) => ({
              path: formatPath("", [...i.path, key]),
              reason: "unknown field",
            }))
          : [{ path: formatPath("", i.path), reason: i.message }],
      ),
    };
  }
  const issues: ImportIssue[] = [];
  const stores: StoreInput[] = [];
  const refs = new Map<string, number>();
  envelope.data.features.forEach((raw, index) => {
    const base = ["features", index];
    const feature = featureEnvelopeSchema.safeParse(raw);
    if (!feature.success) {
      issues.push(...issuesOf(feature.error, base, index));
      return;
    }
    const { geometry, properties } = feature.data;
    const isPoint = geometry.type === "Point";
    let footprint: unknown = geometry;
    if (isPoint) {
      const point = pointSchema.safeParse(geometry);
      if (!point.success) {
        issues.push(...issuesOf(point.error, [...base, "geometry"], index));
        return;
      }
      const [lon, lat] = point.data.coordinates as [number, number];
      footprint = {
        type: "Circle",
        center: { lat, lon },
        radiusM: properties.radiusM ?? DEFAULT_POINT_RADIUS_M,
      };
    }
    const candidate: Record<string, unknown> = { footprint };
    for (const field of STORE_FIELDS) {
      if (properties[field] !== undefined && properties[field] !== null) {
        candidate[field] = properties[field];
      }
    }
    const parsed = storeInputSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        issues.push({
          index,
          path: formatPath("", [...base, ...featurePath(i.path, isPoint)]),
          reason: i.message,
        });
      }
      return;
    }
    const ref = parsed.data.externalRef;
    if (ref !== undefined) {
      const first = refs.get(ref);
      if (first !== undefined) {
        issues.push({
          index,
          path: formatPath("", [...base, "properties", "externalRef"]),
          reason: `repeats the externalRef of feature ${first}`,
        });
        return;
      }
      refs.set(ref, index);
    }
    stores.push(parsed.data);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, stores };
}
