import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { handler } from "../../../functions/offers-nearby.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { dynamoStorePoints } from "../../../shared/adapters/dynamo/store-points.ts";
import { haversineM } from "../../../shared/domain/geometry/sphere.ts";
import { storePointCellsNear } from "../../../shared/domain/store-points.ts";
import { env } from "../../support/aws.ts";
import { offset, seedStoreAndOffer } from "../../support/fixtures.ts";
import { bodyOf, httpEvent, lambdaContext } from "../../support/http-events.ts";

const points = dynamoStorePoints(documentClient, env("GEO_INDEX_TABLE"));
const device = {
  deviceId: "dev_nearby",
  consentLocation: true,
  consentMarketing: true,
  segments: "[]",
  openZones: 0,
};

async function storeAt(
  location: { lat: number; lon: number },
  offer: Record<string, unknown> = {},
) {
  const seeded = await seedStoreAndOffer({ location, offer });
  await points.put({ merchantId: seeded.merchantId, storeId: seeded.storeId, ...location });
  return seeded;
}

describe("GET /v1/offers/nearby", () => {
  it("lists live offers of stores within the radius, nearest first, with distance", async () => {
    const here = { lat: 35.6812, lon: 139.7671 };
    const near = await storeAt(offset(here, 300, 0));
    const nearer = await storeAt(offset(here, 0, 120));
    const far = await storeAt(offset(here, 4000, 0));
    await storeAt(offset(here, 200, 0), { status: "paused" });
    await storeAt(offset(here, 250, 0), { validTo: new Date(Date.now() - 1000).toISOString() });
    const res = await handler(
      httpEvent({
        path: "/v1/offers/nearby",
        query: { lat: String(here.lat), lon: String(here.lon), radiusM: "1000" },
        device,
      }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(200);
    const offers = bodyOf<{ offers: { offerId: string; distanceM: number }[] }>(res).offers;
    expect(offers.map((o) => o.offerId)).toEqual([nearer.offerId, near.offerId]);
    expect(offers[0]?.distanceM).toBeCloseTo(120, -1);
    expect(offers.map((o) => o.offerId)).not.toContain(far.offerId);
  });

  it("reads date-only validFrom / validTo in the store's zone (validTo's whole day included)", async () => {
    const here = { lat: 35.2, lon: 139.2 };
    // Seeded stores are in Europe/Paris: "today" is Paris's calendar day.
    const today = DateTime.now().setZone("Europe/Paris");
    const day = (n: number) => today.plus({ days: n }).toISODate() ?? "";
    const endsToday = await storeAt(offset(here, 100, 0), { validFrom: day(-3), validTo: day(0) });
    const oneDay = await storeAt(offset(here, 150, 0), { validFrom: day(0), validTo: day(0) });
    await storeAt(offset(here, 200, 0), { validFrom: day(-3), validTo: day(-1) });
    await storeAt(offset(here, 250, 0), { validFrom: day(1), validTo: day(3) });
    const res = await handler(
      httpEvent({
        path: "/v1/offers/nearby",
        query: { lat: String(here.lat), lon: String(here.lon), radiusM: "1000" },
        device,
      }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(200);
    const offers = bodyOf<{ offers: { offerId: string; validTo: string }[] }>(res).offers;
    expect(offers.map((o) => o.offerId)).toEqual([endsToday.offerId, oneDay.offerId]);
    expect(offers[0]?.validTo).toBe(day(0));
  });

  it("validates the radius and refuses devices without location consent", async () => {
    const bad = await handler(
      httpEvent({
        path: "/v1/offers/nearby",
        query: { lat: "1", lon: "2", radiusM: "20" },
        device,
      }),
      lambdaContext,
    );
    expect(bad.statusCode).toBe(400);
    expect(bodyOf<{ errors: { path: string }[] }>(bad).errors[0]?.path).toBe("radiusM");
    const noConsent = await handler(
      httpEvent({
        path: "/v1/offers/nearby",
        query: { lat: "1", lon: "2" },
        device: { ...device, consentLocation: false },
      }),
      lambdaContext,
    );
    expect(noConsent.statusCode).toBe(403);
  });

  it("buckets reach every point within the largest radius (property over latitudes)", () => {
    for (let i = 0; i < 300; i++) {
      const lat = -85 + (170 * i) / 300;
      const lon = -180 + ((i * 137.5) % 360);
      const target = offset({ lat, lon }, 10_000 * Math.cos(i), 10_000 * Math.sin(i) * 0.999);
      const cells = new Set(storePointCellsNear(lat, lon, 10_000));
      const d = haversineM(lat, lon, target.lat, target.lon);
      if (d <= 10_000) {
        const own = storePointCellsNear(target.lat, target.lon, 0)[0];
        expect(cells.has(own ?? ""), `lat ${lat} lon ${lon}`).toBe(true);
      }
    }
  });
});
