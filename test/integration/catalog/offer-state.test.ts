import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { handler as createOffer } from "../../../functions/offer-create.ts";
import { handler as getOffer } from "../../../functions/offer-get.ts";
import { handler as listOffers } from "../../../functions/offer-list.ts";
import { handler as pauseOffer } from "../../../functions/offer-pause.ts";
import { handler as nearby } from "../../../functions/offers-nearby.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { incentiveKeys } from "../../../shared/domain/incentive.ts";
import { env, uniqueId } from "../../support/aws.ts";
import { seedStoreAndOffer } from "../../support/fixtures.ts";
import { bodyOf, httpEvent, lambdaContext } from "../../support/http-events.ts";
import { type Caller, invoke, liveOfferBody, newStore } from "./helpers.ts";

interface OfferState {
  offerId: string;
  status: string;
  state: string;
  sentCount: number;
}

const admin = (): Caller => ({ merchantId: uniqueId("m"), role: "merchant-admin" });
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

async function offer(as: Caller, storeId: string, extra: Record<string, unknown> = {}) {
  const res = await invoke<OfferState>(createOffer, as, {
    method: "POST",
    path: "/v1/offers",
    body: liveOfferBody([storeId], extra),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const read = (as: Caller, offerId: string) =>
  invoke<OfferState>(getOffer, as, { path: `/v1/offers/${offerId}`, pathParameters: { offerId } });

const list = (as: Caller, state?: string) =>
  invoke<{ items: OfferState[] }>(listOffers, as, {
    path: "/v1/offers",
    query: state ? { state } : {},
  });

async function spend(offerId: string, sent: number) {
  await documentClient.send(
    new PutCommand({
      TableName: env("INCENTIVES_TABLE"),
      Item: { ...incentiveKeys.budget(offerId), sent },
    }),
  );
}

async function nearbyIds(at: { lat: number; lon: number }) {
  const res = await nearby(
    httpEvent({
      path: "/v1/offers/nearby",
      query: { lat: String(at.lat), lon: String(at.lon), radiusM: "500" },
      device: {
        deviceId: uniqueId("dev"),
        consentLocation: true,
        consentMarketing: true,
        segments: "[]",
      },
    }),
    lambdaContext,
  );
  expect(res.statusCode).toBe(200);
  return bodyOf<{ offers: { offerId: string }[] }>(res).offers.map((o) => o.offerId);
}

describe("derived offer state through the API", () => {
  it("an offer whose budget is used up says budget_exhausted, stays active, leaves nearby", async () => {
    const as = admin();
    const here = { lat: 45.764 + Math.random() * 0.01, lon: 4.8357 }; // Lyon, Europe/Paris
    const storeId = await newStore(as, here);
    const created = await offer(as, storeId, { budget: { maxIncentives: 3 } });
    expect(created).toMatchObject({ status: "active", state: "live", sentCount: 0 });
    const other = await offer(as, storeId);
    expect(await nearbyIds(here)).toEqual(expect.arrayContaining([created.offerId, other.offerId]));

    await spend(created.offerId, 2);
    expect((await read(as, created.offerId)).body).toMatchObject({ state: "live", sentCount: 2 });
    await spend(created.offerId, 3);
    expect((await read(as, created.offerId)).body).toMatchObject({
      status: "active",
      state: "budget_exhausted",
      sentCount: 3,
    });
    const ids = await nearbyIds(here);
    expect(ids).toContain(other.offerId);
    expect(ids).not.toContain(created.offerId);

    const exhausted = await list(as, "budget_exhausted");
    expect(exhausted.status).toBe(200);
    expect(exhausted.body.items.map((o) => o.offerId)).toEqual([created.offerId]);
    const live = await list(as, "live");
    expect(live.body.items.map((o) => o.offerId)).toEqual([other.offerId]);
    const all = await list(as);
    expect(all.body.items.map((o) => [o.offerId, o.state]).sort()).toEqual(
      [
        [created.offerId, "budget_exhausted"],
        [other.offerId, "live"],
      ].sort(),
    );
  });

  it("scheduled before validFrom, paused when paused; a wrong state filter is a 400", async () => {
    const as = admin();
    const storeId = await newStore(as, { lat: 43.2965, lon: 5.3698 });
    const later = await offer(as, storeId, { validFrom: iso(Date.now() + 2 * DAY) });
    expect(later).toMatchObject({ status: "active", state: "scheduled" });
    const paused = await invoke<OfferState>(pauseOffer, as, {
      method: "POST",
      path: `/v1/offers/${later.offerId}/pause`,
      pathParameters: { offerId: later.offerId },
    });
    expect(paused.body).toMatchObject({ status: "paused", state: "paused" });
    expect((await list(as, "scheduled,live")).body.items).toEqual([]);
    expect((await list(as, "paused")).body.items.map((o) => o.offerId)).toEqual([later.offerId]);
    const bad = await list(as, "running");
    expect(bad.status).toBe(400);
    expect((bad.body as unknown as { errors: { path: string }[] }).errors[0]?.path).toBe("state/0");
  });

  it("an offer past validTo reads ended while its status stays active", async () => {
    const seeded = await seedStoreAndOffer({
      offer: { validFrom: "2020-01-01T00:00:00.000Z", validTo: "2020-02-01T00:00:00.000Z" },
    });
    const as = { merchantId: seeded.merchantId, role: "marketing-analyst" };
    expect((await read(as, seeded.offerId)).body).toMatchObject({
      status: "active",
      state: "ended",
    });
    expect((await list(as, "ended")).body.items.map((o) => o.offerId)).toEqual([seeded.offerId]);
  });
});
