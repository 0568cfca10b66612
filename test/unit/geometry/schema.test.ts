import { describe, expect, it } from "vitest";
import * as z from "zod";
import {
  circleSchema,
  multiPolygonSchema,
  parseZoneGeometry,
  polygonSchema,
  type ZoneGeometry,
  zodIssuesToFieldIssues,
  zoneGeometrySchema,
} from "../../../shared/domain/geometry/index.ts";
import { type FieldIssue, ValidationError } from "../../../shared/errors.ts";
import { closedRing, square } from "../../support/geo.ts";

const BOUNDS = { minRadiusM: 5, maxRadiusM: 50_000 };

/** The issues a parse of `input` reports under the "footprint" field. */
function issuesOf(input: unknown): FieldIssue[] {
  try {
    parseZoneGeometry(input, { path: "footprint", ...BOUNDS });
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues ?? [];
  }
  throw new Error("expected a ValidationError");
}

function expectIssue(input: unknown, path: string, reason: RegExp): void {
  const issues = issuesOf(input);
  expect(issues, JSON.stringify(issues)).toContainEqual({
    path,
    reason: expect.stringMatching(reason),
  });
}

const polygon = (...rings: unknown[][][]) => ({ type: "Polygon", coordinates: rings });

describe("valid zones", () => {
  it("accepts circles, polygons with holes and overlapping MultiPolygons; strips unknown keys", () => {
    const inputs: ZoneGeometry[] = [
      { type: "Circle", center: { lat: 89.9, lon: -180 }, radiusM: 50_000 },
      {
        type: "Polygon",
        coordinates: [square(0, 0, 0.01, 0.01), square(0.004, 0.004, 0.006, 0.006)],
      },
      {
        type: "MultiPolygon",
        coordinates: [[square(0, 0, 0.02, 0.02)], [square(0.01, 0.01, 0.03, 0.03)]],
      },
    ];
    for (const g of inputs) {
      expect(parseZoneGeometry({ ...g, bbox: [1, 2, 3, 4] }, { path: "zone", ...BOUNDS })).toEqual(
        g,
      );
    }
  });

  it("accepts clockwise shells and counter-clockwise holes (winding is normalised, not rejected)", () => {
    const cw = square(0, 0, 0.01, 0.01).reverse();
    const ccwHole = square(0.004, 0.004, 0.006, 0.006);
    expect(() =>
      parseZoneGeometry(polygon(cw, ccwHole), { path: "zone", ...BOUNDS }),
    ).not.toThrow();
  });

  it("accepts altitudes and a Fiji-like ring crossing the antimeridian", () => {
    const fiji = [
      [179.5, -17, 5],
      [-179.5, -17, 5],
      [-179.5, -16, 5],
      [179.5, -16, 5],
      [179.5, -17, 5],
    ];
    expect(() => parseZoneGeometry(polygon(fiji), { path: "zone", ...BOUNDS })).not.toThrow();
  });
});

describe("circle rules", () => {
  it("latitude, longitude and finite numbers", () => {
    expectIssue(
      { type: "Circle", center: { lat: 90.5, lon: 0 }, radiusM: 10 },
      "footprint/center/lat",
      /\[-90, 90\]/,
    );
    expectIssue(
      { type: "Circle", center: { lat: 0, lon: -180.1 }, radiusM: 10 },
      "footprint/center/lon",
      /\[-180, 180\]/,
    );
    expectIssue(
      { type: "Circle", center: { lat: Number.NaN, lon: 0 }, radiusM: 10 },
      "footprint/center/lat",
      /finite/,
    );
    expectIssue(
      { type: "Circle", center: { lat: 0, lon: 0 }, radiusM: Number.POSITIVE_INFINITY },
      "footprint/radiusM",
      /finite/,
    );
  });

  it("radius within the caller's bounds", () => {
    expectIssue(
      { type: "Circle", center: { lat: 0, lon: 0 }, radiusM: 4.9 },
      "footprint/radiusM",
      /between 5 and 50000 m/,
    );
    expectIssue(
      { type: "Circle", center: { lat: 0, lon: 0 }, radiusM: 50_001 },
      "footprint/radiusM",
      /between 5 and 50000 m/,
    );
    const small = circleSchema({ minRadiusM: 1, maxRadiusM: 100 });
    expect(
      small.safeParse({ type: "Circle", center: { lat: 0, lon: 0 }, radiusM: 2 }).success,
    ).toBe(true);
    expect(
      small.safeParse({ type: "Circle", center: { lat: 0, lon: 0 }, radiusM: 200 }).success,
    ).toBe(false);
  });

  it("an unknown type names the type field", () => {
    expectIssue(
      { type: "Point", coordinates: [0, 0] },
      "footprint/type",
      /Circle, Polygon or MultiPolygon/,
    );
  });
});

describe("polygon rules", () => {
  /** The 0.01° square (about 1.1 km a side at the equator) the ring rules put their holes in. */
  const shell = square(0, 0, 0.01, 0.01);

  it("positions: 2 or 3 finite numbers, lon in [-180, 180], lat in [-90, 90]", () => {
    const ring = square(0, 0, 0.01, 0.01);
    expectIssue(
      polygon([ring[0]!, [0.01], ...ring.slice(2)]),
      "footprint/coordinates/0/1",
      /longitude and a latitude/,
    );
    expectIssue(
      polygon([ring[0]!, [0.01, 0, 1, 2], ...ring.slice(2)]),
      "footprint/coordinates/0/1",
      /at most/,
    );
    expectIssue(
      polygon([ring[0]!, ["0.01", 0], ...ring.slice(2)]),
      "footprint/coordinates/0/1/0",
      /finite/,
    );
    const far = [
      [0, 0],
      [181, 0],
      [0, 1],
      [0, 0],
    ];
    expectIssue(
      polygon(far),
      "footprint/coordinates/0/1/0",
      /longitude must be within \[-180, 180\]/,
    );
    const north = [
      [0, 0],
      [1, 0],
      [0, 91],
      [0, 0],
    ];
    expectIssue(
      polygon(north),
      "footprint/coordinates/0/2/1",
      /latitude must be within \[-90, 90\]/,
    );
  });

  it("rings are closed and have at least 4 positions", () => {
    expectIssue(polygon(square(0, 0, 1, 1).slice(0, 4)), "footprint/coordinates/0/3", /not closed/);
    expectIssue(
      polygon([
        [0, 0],
        [1, 0],
        [0, 0],
      ]),
      "footprint/coordinates/0",
      /at least 4 positions/,
    );
    expectIssue({ type: "Polygon", coordinates: [] }, "footprint/coordinates", /outer ring/);
  });

  it("at most 1,000 vertices per zone, all rings and polygons together", () => {
    const ring = (n: number, lon: number) => {
      const r: number[][] = [];
      for (let i = 0; i < n; i++) {
        const a = (2 * Math.PI * i) / n;
        r.push([lon + 0.01 * Math.cos(a), 0.01 * Math.sin(a)]);
      }
      r.push([...(r[0] as number[])]);
      return r;
    };
    expectIssue(
      polygon(ring(1001, 0)),
      "footprint/coordinates",
      /at most 1000 vertices \(found 1001\)/,
    );
    expect(() => parseZoneGeometry(polygon(ring(1000, 0)), { path: "z", ...BOUNDS })).not.toThrow();
    expectIssue(
      { type: "MultiPolygon", coordinates: [[ring(600, 0)], [ring(401, 1)]] },
      "footprint/coordinates",
      /found 1001/,
    );
  });

  it("no self-intersection: the path names the first crossing edge", () => {
    const bowtie = closedRing([0, 0], [0.01, 0], [0, 0.01], [0.01, 0.01]);
    expectIssue(
      polygon(bowtie),
      "footprint/coordinates/0/1",
      /intersects itself near \[0.005, 0.005\]/,
    );
    // Also across the antimeridian (judged on continuous longitudes).
    const bowtieAm = closedRing([179.99, 0], [-179.99, 0], [179.99, 0.01], [-179.99, 0.01]);
    expectIssue(polygon(bowtieAm), "footprint/coordinates/0/1", /intersects itself/);
  });

  it("rings of one polygon must not cross each other", () => {
    expectIssue(
      polygon(shell, square(0.005, 0.005, 0.02, 0.006)),
      "footprint/coordinates/1",
      /ring 1 crosses ring 0/,
    );
    const h1 = square(0.002, 0.002, 0.006, 0.006);
    const h2 = square(0.005, 0.005, 0.008, 0.008);
    expectIssue(polygon(shell, h1, h2), "footprint/coordinates/2", /ring 2 crosses ring 1/);
  });

  describe("validity as OGC simple features: rings may touch at single points", () => {
    const valid = (g: unknown) =>
      expect(() => parseZoneGeometry(g, { path: "footprint", ...BOUNDS })).not.toThrow();

    it("a hole touching its shell at one vertex is valid (parcel and OSM footprints)", () => {
      // Triangle hole whose apex is the shell's south-west corner.
      valid(polygon(shell, closedRing([0, 0], [0.004, 0.002], [0.002, 0.004])));
      // Apex on the middle of the shell's south edge (a vertex of the hole on an edge).
      valid(polygon(shell, closedRing([0.005, 0], [0.007, 0.003], [0.003, 0.003])));
    });

    it("two holes touching at a point are valid; so are three rings meeting at one point", () => {
      const h1 = closedRing([0.002, 0.002], [0.005, 0.005], [0.002, 0.005]);
      const h2 = closedRing([0.005, 0.005], [0.008, 0.008], [0.008, 0.005]);
      valid(polygon(shell, h1, h2));
      // Both holes also meeting the shell at the same corner: still one connected interior.
      const a = closedRing([0, 0], [0.004, 0.001], [0.003, 0.003]);
      const b = closedRing([0, 0], [0.001, 0.004], [0.003, 0.0035]);
      valid(polygon(shell, a, b));
    });

    it("touching holes in a MultiPolygon part are valid too", () => {
      valid({
        type: "MultiPolygon",
        coordinates: [
          [shell, closedRing([0, 0], [0.004, 0.002], [0.002, 0.004])],
          [square(1, 1, 1.01, 1.01)],
        ],
      });
    });

    it("a hole touching its shell at two points splits the interior: invalid", () => {
      // A diamond hole spanning the shell from its south edge to its north edge.
      const split = closedRing([0.005, 0], [0.008, 0.005], [0.005, 0.01], [0.002, 0.005]);
      expectIssue(polygon(shell, split), "footprint/coordinates/1", /splits the interior/);
    });

    it("two holes touching at two points cut off the part between them: invalid", () => {
      const left = closedRing(
        [0.002, 0.002],
        [0.005, 0.002],
        [0.004, 0.005],
        [0.005, 0.008],
        [0.002, 0.008],
      );
      const right = closedRing(
        [0.005, 0.002],
        [0.008, 0.002],
        [0.008, 0.008],
        [0.005, 0.008],
        [0.006, 0.005],
      );
      expectIssue(polygon(shell, left, right), "footprint/coordinates/2", /splits the interior/);
    });

    it("three holes touching in a chain that closes a loop: invalid", () => {
      const a = closedRing([0.002, 0.002], [0.005, 0.002], [0.0035, 0.0035]);
      const b = closedRing([0.005, 0.002], [0.008, 0.002], [0.0065, 0.0035]);
      const c = closedRing([0.0035, 0.0035], [0.0065, 0.0035], [0.005, 0.006]);
      expectIssue(polygon(shell, a, b, c), "footprint/coordinates/3", /splits the interior/);
    });

    it("a shared segment is invalid, even along part of an edge", () => {
      const along = closedRing([0.002, 0], [0.006, 0], [0.004, 0.003]);
      expectIssue(polygon(shell, along), "footprint/coordinates/1", /shares a segment with ring 0/);
      const h1 = square(0.002, 0.002, 0.005, 0.005);
      const h2 = square(0.005, 0.003, 0.008, 0.004);
      expectIssue(
        polygon(shell, h1, h2),
        "footprint/coordinates/2",
        /shares a segment with ring 1/,
      );
    });

    it("rings meeting at a point but crossing there are invalid", () => {
      // Two triangles meeting at their apex, one poking through the other.
      const h1 = closedRing([0.002, 0.002], [0.006, 0.006], [0.002, 0.006]);
      const h2 = closedRing([0.004, 0.004], [0.008, 0.003], [0.003, 0.008]);
      expectIssue(polygon(shell, h1, h2), "footprint/coordinates/2", /crosses ring 1/);
    });

    it("a ring touching itself is still not simple: invalid", () => {
      // Figure-of-eight through (0.005, 0.005) as one ring.
      const eight = closedRing(
        [0, 0],
        [0.005, 0.005],
        [0.01, 0],
        [0.01, 0.01],
        [0.005, 0.005],
        [0, 0.01],
      );
      expectIssue(polygon(eight), "footprint/coordinates/0/0", /intersects itself/);
      const spike = closedRing([0, 0], [0.01, 0], [0.01, 0.01], [0.01, 0.005], [0, 0.01]);
      expectIssue(polygon(spike), "footprint/coordinates/0/1", /intersects itself/);
    });
  });

  it("holes lie inside their shell, and not inside another hole", () => {
    expectIssue(
      polygon(shell, square(0.02, 0.02, 0.03, 0.03)),
      "footprint/coordinates/1",
      /not inside the outer ring/,
    );
    const outer = square(0.001, 0.001, 0.009, 0.009);
    const inner = square(0.004, 0.004, 0.005, 0.005);
    expectIssue(polygon(shell, outer, inner), "footprint/coordinates/2", /inside hole 1/);
  });

  it("area above 1 m² and below 20,000 km²", () => {
    expectIssue(polygon(square(0, 0, 5e-6, 5e-6)), "footprint/coordinates", /more than 1 m²/);
    expectIssue(polygon(square(0, 0, 2, 2)), "footprint/coordinates", /less than 20,000 km²/);
    const big = square(0, 0, 1.1, 1.1);
    expectIssue(
      { type: "MultiPolygon", coordinates: [[big], [square(2, 0, 3.1, 1.1)]] },
      "footprint/coordinates",
      /less than 20,000 km²/,
    );
  });

  it("edges of exactly 180° of longitude are ambiguous; rings around a pole are refused", () => {
    expectIssue(
      polygon([
        [0, 80],
        [180, 80],
        [90, 85],
        [0, 80],
      ]),
      "footprint/coordinates/0/1",
      /exactly 180°/,
    );
    const aroundPole = [
      [-170, 85],
      [-50, 85],
      [70, 85],
      [-170, 85],
    ];
    expectIssue(polygon(aroundPole), "footprint/coordinates/0", /encircles a pole/);
  });

  it("MultiPolygon paths carry the polygon index", () => {
    const open = square(1, 1, 1.01, 1.01).slice(0, 4);
    expectIssue(
      { type: "MultiPolygon", coordinates: [[square(0, 0, 0.01, 0.01)], [open]] },
      "footprint/coordinates/1/0/3",
      /not closed/,
    );
    expectIssue(
      { type: "MultiPolygon", coordinates: [] },
      "footprint/coordinates",
      /at least one polygon/,
    );
  });
});

describe("error plumbing", () => {
  it("parseZoneGeometry throws a 400 ValidationError whose detail names the first field", () => {
    try {
      parseZoneGeometry(
        { type: "Circle", center: { lat: 100, lon: 0 }, radiusM: 1 },
        { path: "offers/2/zone", ...BOUNDS },
      );
      expect.unreachable();
    } catch (e) {
      const err = e as ValidationError;
      expect(err).toBeInstanceOf(ValidationError);
      expect(err.status).toBe(400);
      expect(err.detail).toBe("offers/2/zone/center/lat: the latitude must be within [-90, 90]");
      expect(err.issues?.map((i) => i.path)).toEqual([
        "offers/2/zone/center/lat",
        "offers/2/zone/radiusM",
      ]);
    }
  });

  it("zodIssuesToFieldIssues joins paths under the prefix (or none)", () => {
    const r = polygonSchema.safeParse(polygon(square(0, 0, 1, 1).slice(0, 4)));
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(zodIssuesToFieldIssues(r.error.issues, "stores/0/footprint")).toEqual([
      { path: "stores/0/footprint/coordinates/0/3", reason: expect.stringMatching(/not closed/) },
    ]);
    expect(zodIssuesToFieldIssues(r.error.issues, "")[0]?.path).toBe("coordinates/0/3");
  });

  it("the schemas convert to JSON Schema with their descriptions (for the OpenAPI document)", () => {
    const json = z.toJSONSchema(zoneGeometrySchema(BOUNDS)) as {
      oneOf?: { description?: string }[];
    };
    expect(json.oneOf).toHaveLength(3);
    expect(json.oneOf?.every((s) => typeof s.description === "string")).toBe(true);
    expect(JSON.stringify(z.toJSONSchema(multiPolygonSchema))).toContain("MultiPolygon");
  });
});
