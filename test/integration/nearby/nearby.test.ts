import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { handler } from "../../../functions/offers-nearby.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { dynamoAudienceStore } from "../../../shared/adapters/dynamo/audience-store.ts";
import { dynamoStorePoints } from "../../../shared/adapters/dynamo/store-points.ts";
import { deviceKeys } from "../../../shared/domain/device.ts";
import { haversineM } from "../../../shared/domain/geometry/sphere.ts";
import { capPartition } from "../../../shared/domain/incentive.ts";
import {
  applyVisit,
  DEFAULT_JOURNEY_SETTINGS,
  type JourneyHistory,
} from "../../../shared/domain/journey/index.ts";
import { storePointCellsNear } from "../../../shared/domain/store-points.ts";
import { env, uniqueId } from "../../support/aws.ts";
import { offset, seedStoreAndOffer } from "../../support/fixtures.ts";
import { bodyOf, httpEvent, lambdaContext } from "../../support/http-events.ts";

const points = dynamoStorePoints(documentClient, env("GEO_INDEX_TABLE"));
const device = {
  deviceId: "dev_nearby",
  consentLocation: true,
  consentMarketing: true,
  segments: "[]",
};

async function storeAt(
  location: { lat: number; lon: number },
  offer: Record<string, unknown> = {},
) {
  const seeded = await seedStoreAndOffer({ location, offer });
  await points.put({ merchantId: seeded.merchantId, storeId: seeded.storeId, ...location });
  return seeded;
}

/** The offers `GET /v1/offers/nearby` lists within 1 km of `here` for `principal` (200 expected). */
async function offersNear<T extends { offerId: string }>(
  here: { lat: number; lon: number },
  principal: typeof device & { deviceId: string; segments: string } = device,
): Promise<T[]> {
  const res = await handler(
    httpEvent({
      path: "/v1/offers/nearby",
      query: { lat: String(here.lat), lon: String(here.lon), radiusM: "1000" },
      device: principal,
    }),
    lambdaContext,
  );
  expect(res.statusCode).toBe(200);
  return bodyOf<{ offers: T[] }>(res).offers;
}

/** The ids of {@link offersNear}. */
async function offerIdsNear(
  here: { lat: number; lon: number },
  principal: typeof device & { deviceId: string; segments: string },
): Promise<string[]> {
  return (await offersNear(here, principal)).map((o) => o.offerId);
}

describe("GET /v1/offers/nearby", () => {
  it("lists live offers of stores within the radius, nearest first, with distance", async () => {
    const here = { lat: 35.6812, lon: 139.7671 };
    const near = await storeAt(offset(here, 300, 0));
    const nearer = await storeAt(offset(here, 0, 120));
    const far = await storeAt(offset(here, 4000, 0));
    await storeAt(offset(here, 200, 0), { status: "paused" });
    await storeAt(offset(here, 250, 0), { validTo: new Date(Date.now() - 1000).toISOString() });
    const offers = await offersNear<{ offerId: string; distanceM: number }>(here);
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
    const offers = await offersNear<{ offerId: string; validTo: string }>(here);
    expect(offers.map((o) => o.offerId)).toEqual([endsToday.offerId, oneDay.offerId]);
    expect(offers[0]?.validTo).toBe(day(0));
  });

  it("lists an offer targeting journey stages only to devices whose stored stage matches", async () => {
    const here = { lat: -33.8688, lon: 151.2093 };
    const merchantId = uniqueId("m_nearby_stage");
    const at = async (dx: number, offer: Record<string, unknown>) => {
      const location = offset(here, dx, 0);
      const seeded = await seedStoreAndOffer({ merchantId, location, offer });
      await points.put({ merchantId, storeId: seeded.storeId, ...location });
      return seeded.offerId;
    };
    const everyone = await at(100, {});
    const firstTimers = await at(150, { audience: { stages: ["prospect"] } });
    const regulars = await at(200, { audience: { stages: ["regular"] } });
    const list = (deviceId: string, segments: string[]) =>
      offerIdsNear(here, { ...device, deviceId, segments: JSON.stringify(segments) });
    // A device never seen at the merchant is a prospect: the regulars' offer is not for it,
    // even when the device says it is a regular.
    expect(await list(uniqueId("dev"), [])).toEqual([everyone, firstTimers]);
    expect(await list(uniqueId("dev"), ["regular"])).toEqual([everyone, firstTimers]);
    // A device with three visit days in the last week at this merchant is a regular (defaults).
    const regular = uniqueId("dev");
    let history: JourneyHistory | undefined;
    for (const daysAgo of [6, 4, 1]) {
      const visit = { at: Date.now() - daysAgo * 86_400_000, storeId: "st_x", timeZone: "UTC" };
      history = applyVisit(history, visit, DEFAULT_JOURNEY_SETTINGS, merchantId).history;
    }
    expect(history?.stage).toBe("regular");
    await documentClient.send(
      new PutCommand({
        TableName: env("DEVICES_TABLE"),
        Item: {
          ...deviceKeys.journey(regular, merchantId),
          entity: "journey",
          history,
          version: 1,
          expiresAt: Math.ceil(Date.now() / 1000) + 86_400,
        },
      }),
    );
    expect(await list(regular, [])).toEqual([everyone, regulars]);
  });

  it("lists a segment-targeted offer to members of the merchant's audience, not to others", async () => {
    const here = { lat: -37.8136, lon: 144.9631 };
    const merchantId = uniqueId("m_nearby_audience");
    const location = offset(here, 120, 0);
    const seeded = await seedStoreAndOffer({ merchantId, location, offer: { segments: ["vip"] } });
    await points.put({ merchantId, storeId: seeded.storeId, ...location });
    const member = uniqueId("dev");
    await dynamoAudienceStore(documentClient, env("DEVICES_TABLE")).add(
      [capPartition({ deviceId: member })],
      merchantId,
      "vip",
      Date.now() + 86_400_000,
    );
    const list = (deviceId: string, segments: string[]) =>
      offerIdsNear(here, { ...device, deviceId, segments: JSON.stringify(segments) });
    expect(await list(member, [])).toEqual([seeded.offerId]);
    // Another device, even one declaring the segment itself, is not in the audience.
    expect(await list(uniqueId("dev"), [])).toEqual([]);
    expect(await list(uniqueId("dev"), ["vip"])).toEqual([]);
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
