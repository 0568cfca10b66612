import { describe, expect, it } from "vitest";
import {
  type StoreInput,
  storeInputSchema,
  zoneCentre,
} from "../../../shared/domain/catalog/index.ts";
import { buildStore } from "../../../shared/domain/catalog/store-build.ts";
import { deriveTimeZone } from "../../../shared/domain/catalog/time-zone.ts";
import { compileZone } from "../../../shared/domain/geometry/index.ts";
import { UnprocessableError, ValidationError } from "../../../shared/errors.ts";
import { CHATELET_SQUARE, FIJI_SQUARE, PARIS, validStore } from "./fixtures.ts";

const NOW = "2026-03-01T10:00:00.000Z";

function build(body: Record<string, unknown>, geocoded?: { lat: number; lon: number }) {
  const input: StoreInput = storeInputSchema.parse(body);
  return buildStore({ merchantId: "m_a", storeId: "st_0123456789", input, geocoded, nowIso: NOW });
}

function issuePath(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as ValidationError).issues?.[0]?.path;
  }
  return undefined;
}

describe("time zones", () => {
  it("derives the IANA zone from coordinates", () => {
    expect(deriveTimeZone(48.8584, 2.347)).toBe("Europe/Paris");
    expect(deriveTimeZone(35.6595, 139.7005)).toBe("Asia/Tokyo");
    expect(deriveTimeZone(40.758, -73.9855)).toBe("America/New_York");
    expect(deriveTimeZone(-33.8688, 151.2093)).toBe("Australia/Sydney");
  });

  it("derives it for a store without timeZone and keeps an explicit one", () => {
    expect(build(validStore()).timeZone).toBe("Europe/Paris");
    const tokyo = { lat: 35.6595, lon: 139.7005 };
    const store = build(
      validStore({ location: tokyo, footprint: { type: "Circle", center: tokyo, radiusM: 30 } }),
    );
    expect(store.timeZone).toBe("Asia/Tokyo");
    expect(build(validStore({ timeZone: "Europe/London" })).timeZone).toBe("Europe/London");
  });
});

describe("store location", () => {
  it("takes the request's location first, then the geocoder's, then the footprint centre", () => {
    expect(build(validStore())).toMatchObject({ location: PARIS, locationSource: "request" });
    const geocoded = { lat: 48.8585, lon: 2.3471 };
    expect(build(validStore({ location: undefined, address: "1 rue X" }), geocoded)).toMatchObject({
      location: geocoded,
      locationSource: "geocoder",
    });
    const fromSquare = build(validStore({ location: undefined, footprint: CHATELET_SQUARE }));
    expect(fromSquare.locationSource).toBe("footprint");
    expect(fromSquare.location.lat).toBeCloseTo(48.85845, 6);
    expect(fromSquare.location.lon).toBeCloseTo(2.34695, 6);
  });

  it("refuses a location far from the footprint (400 location; 422 address when geocoded)", () => {
    expect(issuePath(() => build(validStore({ location: { lat: 2.347, lon: 48.8584 } })))).toBe(
      "location",
    );
    expect(() => build(validStore({ location: { lat: 2.347, lon: 48.8584 } }))).toThrow(
      ValidationError,
    );
    const lyon = { lat: 45.764, lon: 4.8357 };
    const far = () => build(validStore({ location: undefined, address: "1 rue X" }), lyon);
    expect(far).toThrow(UnprocessableError);
    expect(issuePath(far)).toBe("address");
  });

  it("finds the centre of a zone that crosses the antimeridian", () => {
    const c = zoneCentre(
      build(validStore({ location: undefined, footprint: FIJI_SQUARE })).footprint,
    );
    expect(c.lat).toBeCloseTo(-16, 6);
    expect(Math.abs(Math.abs(c.lon) - 180)).toBeLessThan(1e-6);
  });
});

describe("footprint normalisation", () => {
  it("fixes a clockwise shell rather than rejecting it", () => {
    const ring = [...(CHATELET_SQUARE.coordinates[0] as number[][])].reverse();
    const store = build(validStore({ footprint: { type: "Polygon", coordinates: [ring] } }));
    const shell = (store.footprint as { coordinates: number[][][] }).coordinates[0] as number[][];
    let twiceArea = 0;
    for (let i = 0; i + 1 < shell.length; i++) {
      const [x1, y1] = shell[i] as number[];
      const [x2, y2] = shell[i + 1] as number[];
      twiceArea += (x1 as number) * (y2 as number) - (x2 as number) * (y1 as number);
    }
    expect(twiceArea).toBeGreaterThan(0); // counter-clockwise (RFC 7946)
    expect(compileZone(store.footprint).contains(48.85845, 2.34695)).toBe(true);
  });

  it("splits a polygon crossing the antimeridian instead of wrapping it round the Earth", () => {
    const store = build(validStore({ location: undefined, footprint: FIJI_SQUARE }));
    expect(store.footprint.type).toBe("MultiPolygon");
    const zone = compileZone(store.footprint);
    expect(zone.contains(-16, 180)).toBe(true);
    expect(zone.contains(-16, 0)).toBe(false);
    expect(store.timeZone).toBe("Pacific/Fiji");
  });
});

describe("versions", () => {
  it("keeps id, creation time and offer links when replacing", () => {
    const first = build(validStore());
    const previous = { ...first, offerIds: ["of_0123456789"] };
    const input = storeInputSchema.parse(validStore({ name: "Renamed" }));
    const next = buildStore({
      merchantId: "m_a",
      storeId: first.storeId,
      input,
      nowIso: "2026-04-01T00:00:00.000Z",
      previous,
    });
    expect(next).toMatchObject({
      version: 2,
      createdAt: NOW,
      updatedAt: "2026-04-01T00:00:00.000Z",
      offerIds: ["of_0123456789"],
      name: "Renamed",
    });
  });
});
