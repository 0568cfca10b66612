import { describe, expect, it } from "vitest";
import { handler as createOffer } from "../../../functions/offer-create.ts";
import { handler as deleteOffer } from "../../../functions/offer-delete.ts";
import { handler as getOffer } from "../../../functions/offer-get.ts";
import { handler as listOffers } from "../../../functions/offer-list.ts";
import { handler as pauseOffer } from "../../../functions/offer-pause.ts";
import { handler as resumeOffer } from "../../../functions/offer-resume.ts";
import { handler as updateOffer } from "../../../functions/offer-update.ts";
import { handler as deleteStore } from "../../../functions/store-delete.ts";
import { handler as getStore } from "../../../functions/store-get.ts";
import { handler as updateStore } from "../../../functions/store-update.ts";
import { zoneIds } from "../../../shared/domain/zone.ts";
import { uniqueId } from "../../support/aws.ts";
import {
  BASTILLE,
  type Caller,
  cellsHolding,
  circleStore,
  errorPaths,
  expectIndexed,
  expectMovedOff,
  indexEntriesOf,
  invoke,
  LOUVRE,
  merchantItems,
  newStore,
  offerBody,
  PARIS,
  type Problem,
  zoneHead,
} from "./helpers.ts";

interface OfferBody {
  offerId: string;
  status: string;
  version: number;
  storeIds: string[];
  zoneCount: number;
  zoneCells: number;
  priority: number;
}

const admin = (): Caller => ({ merchantId: uniqueId("m"), role: "merchant-admin" });

function on(offerId: string, extra: Record<string, unknown> = {}) {
  return { path: `/v1/offers/${offerId}`, pathParameters: { offerId }, ...extra };
}

async function create(as: Caller, body: unknown) {
  return invoke<OfferBody>(createOffer, as, { method: "POST", path: "/v1/offers", body });
}

/** An offer created on one of the caller's stores, its trigger zone indexed: zone id and cells. */
async function indexedOffer(as: Caller, storeId: string) {
  const { body } = await create(as, offerBody([storeId]));
  const zoneId = zoneIds.trigger(body.offerId, storeId);
  return { body, zoneId, cells: await expectIndexed(zoneId) };
}

describe("offers: validity dates", () => {
  it("accepts date-only validFrom / validTo and returns them as given", async () => {
    const as = admin();
    const a = await newStore(as, PARIS);
    const res = await create(
      as,
      offerBody([a], { validFrom: "2026-11-01", validTo: "2027-03-31" }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ validFrom: "2026-11-01", validTo: "2027-03-31" });
    const read = await invoke<Record<string, unknown>>(getOffer, as, on(res.body.offerId));
    expect(read.body).toMatchObject({ validFrom: "2026-11-01", validTo: "2027-03-31" });
  });

  it("answers 400 naming the field with the exact formats and an example otherwise", async () => {
    const as = admin();
    const a = await newStore(as, PARIS);
    const res = await create(as, offerBody([a], { validFrom: "01/11/2026" }));
    expect(res.status).toBe(400);
    const problem = res.body as unknown as Problem;
    expect(problem.errors).toEqual([
      {
        path: "validFrom",
        reason:
          'must be an RFC 3339 date-time with offset, e.g. "2026-11-01T09:00:00+01:00", or a date, e.g. "2026-11-01" (from 00:00 that day in each store\'s time zone)',
      },
    ]);
  });
});

describe("offers", () => {
  it("creates an active offer with one indexed trigger zone per store", async () => {
    const as = admin();
    const a = await newStore(as, PARIS);
    const b = await newStore(as, LOUVRE);
    const res = await create(as, offerBody([a, b], { priority: 5 }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "active", version: 1, zoneCount: 2, priority: 5 });
    const cells = [
      ...(await expectIndexed(zoneIds.trigger(res.body.offerId, a))),
      ...(await expectIndexed(zoneIds.trigger(res.body.offerId, b))),
    ];
    expect(res.body.zoneCells).toBe(cells.length);
    const store = await invoke<{ offerIds: string[] }>(getStore, as, {
      path: `/v1/stores/${a}`,
      pathParameters: { storeId: a },
    });
    expect(store.body.offerIds).toEqual([res.body.offerId]);
  });

  it("rejects invalid offers with their paths and writes nothing", async () => {
    const as = admin();
    const a = await newStore(as);
    const before = (await merchantItems(as.merchantId)).length;
    const entries = (await indexEntriesOf(as.merchantId)).length;
    const cases: [unknown, string[]][] = [
      [offerBody([a], { holdoutPercent: 60 }), ["holdoutPercent"]],
      [offerBody([a], { attributionWindowHours: 1000 }), ["attributionWindowHours"]],
      [offerBody([a], { validTo: "2025-01-01T00:00:00Z" }), ["validTo"]],
      [
        offerBody([a], { redemption: { codeKind: "static", expiresAfterHours: 1 } }),
        ["redemption/staticCode"],
      ],
      [
        offerBody([a], { triggerZone: { type: "StoreRadius", radiusM: 20 } }),
        ["triggerZone/radiusM"],
      ],
      [offerBody([a, a]), ["storeIds/1"]],
    ];
    for (const [body, paths] of cases) {
      const res = await create(as, body);
      expect(res.status, paths.join()).toBe(400);
      expect(errorPaths(res.body)).toEqual(paths);
    }
    expect(await merchantItems(as.merchantId)).toHaveLength(before);
    expect(await indexEntriesOf(as.merchantId)).toHaveLength(entries);
  });

  it("answers 404 naming storeIds/i for a store that is not the caller's", async () => {
    const as = admin();
    const mine = await newStore(as);
    const theirs = await newStore(admin());
    const res = await create(as, offerBody([mine, "st_doesNotExist0001", theirs]));
    expect(res.status).toBe(404);
    expect(errorPaths(res.body)).toEqual(["storeIds/1", "storeIds/2"]);
    expect((await merchantItems(as.merchantId)).filter((i) => i.entity === "offer")).toEqual([]);
  });

  it("pausing removes the trigger zones from the index, resuming adds them back", async () => {
    const as = admin();
    const a = await newStore(as);
    const { body, zoneId, cells } = await indexedOffer(as, a);

    const paused = await invoke<OfferBody>(pauseOffer, as, on(body.offerId, { method: "POST" }));
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: "paused", zoneCount: 0, version: 2 });
    expect(await cellsHolding(zoneId, cells)).toEqual([]);
    expect((await zoneHead(zoneId))?.deleted).toBe(true);
    // Pausing again changes nothing.
    const again = await invoke<OfferBody>(pauseOffer, as, on(body.offerId, { method: "POST" }));
    expect(again.body.version).toBe(2);

    const resumed = await invoke<OfferBody>(resumeOffer, as, on(body.offerId, { method: "POST" }));
    expect(resumed.body).toMatchObject({ status: "active", zoneCount: 1, version: 3 });
    expect(await expectIndexed(zoneId)).toEqual(cells);
  });

  it("removing a store from an offer removes that store's trigger zone", async () => {
    const as = admin();
    const a = await newStore(as, PARIS);
    const b = await newStore(as, BASTILLE);
    const { body } = await create(as, offerBody([a, b]));
    const zoneB = zoneIds.trigger(body.offerId, b);
    const cellsB = await expectIndexed(zoneB);
    const res = await invoke<OfferBody>(
      updateOffer,
      as,
      on(body.offerId, {
        method: "PUT",
        headers: { "if-match": '"1"' },
        body: offerBody([a], { name: "Only Châtelet" }),
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, storeIds: [a], zoneCount: 1 });
    expect(await cellsHolding(zoneB, cellsB)).toEqual([]);
    await expectIndexed(zoneIds.trigger(body.offerId, a));
    // The store is no longer linked, so it can go.
    const del = await invoke(deleteStore, as, {
      method: "DELETE",
      path: `/v1/stores/${b}`,
      pathParameters: { storeId: b },
    });
    expect(del.status).toBe(204);
  });

  it("moving a store moves its StoreRadius trigger zones", async () => {
    const as = admin();
    const a = await newStore(as, PARIS);
    const { zoneId, cells: before } = await indexedOffer(as, a);
    const moved = await invoke(updateStore, as, {
      method: "PUT",
      path: `/v1/stores/${a}`,
      pathParameters: { storeId: a },
      headers: { "if-match": '"1"' },
      body: circleStore(BASTILLE),
    });
    expect(moved.status).toBe(200);
    await expectMovedOff(zoneId, before);
  });

  it("refuses to delete a store an offer lists (409 naming storeId), until the offer is gone", async () => {
    const as = admin();
    const a = await newStore(as);
    const { body, zoneId, cells } = await indexedOffer(as, a);
    const storeTarget = { path: `/v1/stores/${a}`, pathParameters: { storeId: a } };
    const refused = await invoke<Problem>(deleteStore, as, { ...storeTarget, method: "DELETE" });
    expect(refused.status).toBe(409);
    expect(errorPaths(refused.body)).toEqual(["storeId"]);
    expect(refused.body.offerIds).toEqual([body.offerId]);
    await expectIndexed(zoneIds.footprint(a));

    const del = await invoke(deleteOffer, as, on(body.offerId, { method: "DELETE" }));
    expect(del.status).toBe(204);
    expect(await cellsHolding(zoneId, cells)).toEqual([]);
    expect((await invoke(getOffer, as, on(body.offerId))).status).toBe(404);
    expect((await invoke(deleteStore, as, { ...storeTarget, method: "DELETE" })).status).toBe(204);
    // Only what reports keep of the deleted offer and store remains: their names and facts.
    const left = await merchantItems(as.merchantId);
    expect(left.map((i) => i.entity).sort()).toEqual(["deleted-offer", "deleted-store"]);
    expect(left.find((i) => i.entity === "deleted-offer")).toMatchObject({
      offerId: body.offerId,
      name: expect.any(String),
      deletedAt: expect.any(String),
    });
  });

  it("hides other merchants' offers (404) and refuses analysts' writes (403)", async () => {
    const owner = admin();
    const a = await newStore(owner);
    const { body } = await create(owner, offerBody([a]));
    const intruder = admin();
    const results = [
      await invoke(getOffer, intruder, on(body.offerId)),
      await invoke(
        updateOffer,
        intruder,
        on(body.offerId, { method: "PUT", headers: { "if-match": '"1"' }, body: offerBody([a]) }),
      ),
      await invoke(pauseOffer, intruder, on(body.offerId, { method: "POST" })),
      await invoke(deleteOffer, intruder, on(body.offerId, { method: "DELETE" })),
    ];
    for (const res of results) {
      expect(res.status).toBe(404);
      expect(errorPaths(res.body)).toEqual(["offerId"]);
    }
    const analyst = { merchantId: owner.merchantId, role: "marketing-analyst" };
    expect((await invoke(getOffer, analyst, on(body.offerId))).status).toBe(200);
    expect((await invoke(pauseOffer, analyst, on(body.offerId, { method: "POST" }))).status).toBe(
      403,
    );
    expect((await create(analyst, offerBody([a]))).status).toBe(403);
    const pos = { merchantId: owner.merchantId, role: "pos" };
    expect((await invoke(listOffers, pos, { path: "/v1/offers" })).status).toBe(403);
    const still = await invoke<OfferBody>(getOffer, owner, on(body.offerId));
    expect(still.body).toMatchObject({ status: "active", version: 1 });
  });

  it("lists offers a page at a time and refuses another merchant's cursor", async () => {
    const as = admin();
    const a = await newStore(as);
    for (let i = 0; i < 3; i++) await create(as, offerBody([a], { name: `Offer ${i}` }));
    const first = await invoke<{ items: OfferBody[]; nextCursor: string }>(listOffers, as, {
      path: "/v1/offers",
      query: { limit: "2" },
    });
    expect(first.body.items).toHaveLength(2);
    const second = await invoke<{ items: OfferBody[]; nextCursor: string | null }>(listOffers, as, {
      path: "/v1/offers",
      query: { limit: "2", cursor: first.body.nextCursor },
    });
    expect(second.body.items).toHaveLength(1);
    const foreign = await invoke(listOffers, admin(), {
      path: "/v1/offers",
      query: { cursor: first.body.nextCursor },
    });
    expect(foreign.status).toBe(400);
    expect(errorPaths(foreign.body)).toEqual(["cursor"]);
  });
});
