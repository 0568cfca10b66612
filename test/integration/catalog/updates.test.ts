import { describe, expect, it } from "vitest";
import { handler as createOffer } from "../../../functions/offer-create.ts";
import { handler as patchOffer } from "../../../functions/offer-patch.ts";
import { handler as updateOffer } from "../../../functions/offer-update.ts";
import { handler as createStore } from "../../../functions/store-create.ts";
import { handler as getStore } from "../../../functions/store-get.ts";
import { handler as patchStore } from "../../../functions/store-patch.ts";
import { handler as updateStore } from "../../../functions/store-update.ts";
import { zoneIds } from "../../../shared/domain/zone.ts";
import { uniqueId } from "../../support/aws.ts";
import {
  BASTILLE,
  type Caller,
  circleStore,
  errorPaths,
  expectIndexed,
  expectMovedOff,
  invoke,
  offerBody,
  PARIS,
} from "./helpers.ts";

const MERGE_PATCH = { "content-type": "application/merge-patch+json" };
const admin = () => ({ merchantId: uniqueId("m"), role: "merchant-admin" });
const HOURS = [{ days: ["mon", "tue"], start: "09:00", end: "19:00" }];

interface StoreBody {
  storeId: string;
  version: number;
  name: string;
  address?: string;
  openingHours?: unknown;
  externalRef?: string;
  location: { lat: number; lon: number };
  timeZone: string;
}

async function newStore(as: { merchantId: string; role: string }) {
  const res = await invoke<StoreBody>(createStore, as, {
    method: "POST",
    path: "/v1/stores",
    body: circleStore(PARIS, {
      address: "1 Rue de Rivoli, Paris",
      openingHours: HOURS,
      externalRef: "PAR-1",
    }),
  });
  expect(res.status).toBe(201);
  return res.body;
}

const storeAt = (id: string) => ({ path: `/v1/stores/${id}`, pathParameters: { storeId: id } });

/** `PUT /v1/stores/{id}`: the whole store replaced by `body`, `headers` carrying If-Match. */
function put(as: Caller, storeId: string, body: unknown, headers: Record<string, string> = {}) {
  return invoke<StoreBody>(updateStore, as, { ...storeAt(storeId), method: "PUT", headers, body });
}

/** `PATCH /v1/stores/{id}`: a JSON merge patch unless `headers` says otherwise. */
function patch(
  as: Caller,
  storeId: string,
  body: unknown,
  headers: Record<string, string> = MERGE_PATCH,
) {
  return invoke<StoreBody>(patchStore, as, { ...storeAt(storeId), method: "PATCH", headers, body });
}

describe("PUT replaces the whole store and needs If-Match", () => {
  it("answers 428 problem+json naming If-Match without it, and changes nothing", async () => {
    const as = admin();
    const store = await newStore(as);
    const res = await put(as, store.storeId, circleStore(PARIS, { name: "Renamed" }));
    expect(res.status).toBe(428);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(errorPaths(res.body)).toEqual(["If-Match"]);
    const got = await invoke<StoreBody>(getStore, as, storeAt(store.storeId));
    expect(got.body).toMatchObject({ version: 1, name: "Café Lumière", address: store.address });
  });

  it("keeps address and openingHours sent with the replacement, and removes those left out", async () => {
    const as = admin();
    const store = await newStore(as);
    const hours = [{ days: ["sat"], start: "10:00", end: "18:00" }];
    const kept = await put(
      as,
      store.storeId,
      circleStore(PARIS, { name: "Kept", address: "2 Rue de Rivoli", openingHours: hours }),
      { "if-match": '"1"' },
    );
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ address: "2 Rue de Rivoli", openingHours: hours });
    const replaced = await put(as, store.storeId, circleStore(PARIS, { name: "Bare" }), {
      "if-match": String(kept.headers.etag),
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.address).toBeUndefined();
    expect(replaced.body.openingHours).toBeUndefined();
    expect(replaced.body.version).toBe(3);
  });
});

describe("PATCH with JSON Merge Patch (RFC 7396)", () => {
  it("changes only the members sent, removes those set to null, and keeps the rest", async () => {
    const as = admin();
    const store = await newStore(as);
    const res = await patch(as, store.storeId, { name: "Lumière Rivoli", openingHours: null });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({
      name: "Lumière Rivoli",
      address: "1 Rue de Rivoli, Paris",
      externalRef: "PAR-1",
      location: PARIS,
      version: 2,
    });
    expect(res.body.openingHours).toBeUndefined();
  });

  it("moving the footprint by patch re-indexes it, leaving no stale cell", async () => {
    const as = admin();
    const store = await newStore(as);
    const zoneId = zoneIds.footprint(store.storeId);
    const before = await expectIndexed(zoneId);
    const res = await patch(
      as,
      store.storeId,
      { location: BASTILLE, footprint: { center: BASTILLE } },
      { ...MERGE_PATCH, "if-match": '"1"' },
    );
    expect(res.status).toBe(200);
    expect(res.body.location).toEqual(BASTILLE);
    await expectMovedOff(zoneId, before);
  });

  it("validates the merged store naming the field, refuses a stale If-Match and other media types", async () => {
    const as = admin();
    const store = await newStore(as);
    const bad = await patch(as, store.storeId, { footprint: { radiusM: 1 }, name: null });
    expect(bad.status).toBe(400);
    expect(errorPaths(bad.body)).toEqual(["footprint/radiusM", "name"]);
    const stale = await patch(
      as,
      store.storeId,
      { name: "x" },
      { ...MERGE_PATCH, "if-match": '"9"' },
    );
    expect(stale.status).toBe(409);
    const plainJson = await patch(as, store.storeId, { name: "x" }, {});
    expect(plainJson.status).toBe(415);
    const got = await invoke<StoreBody>(getStore, as, storeAt(store.storeId));
    expect(got.body).toMatchObject({ version: 1, name: "Café Lumière" });
  });

  it("hides another merchant's store (404)", async () => {
    const store = await newStore(admin());
    const res = await patch(admin(), store.storeId, { name: "Mine now" });
    expect(res.status).toBe(404);
    expect(errorPaths(res.body)).toEqual(["storeId"]);
  });

  it("patches an offer: nested members merge, arrays replace, PUT without If-Match is 428", async () => {
    const as = admin();
    const a = (await newStore(as)).storeId;
    const created = await invoke<{ offerId: string }>(createOffer, as, {
      method: "POST",
      path: "/v1/offers",
      body: offerBody([a], { segments: ["vip", "students"] }),
    });
    expect(created.status).toBe(201);
    const at = {
      path: `/v1/offers/${created.body.offerId}`,
      pathParameters: { offerId: created.body.offerId },
    };
    const res = await invoke<Record<string, unknown>>(patchOffer, as, {
      ...at,
      method: "PATCH",
      headers: MERGE_PATCH,
      body: { message: { title: "Lunch −20 %" }, segments: ["vip"], triggerZone: { radiusM: 300 } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      version: 2,
      message: { title: "Lunch −20 %", body: "15 % off until 14:30." },
      segments: ["vip"],
      triggerZone: { type: "StoreRadius", radiusM: 300 },
      holdoutPercent: 20,
      storeIds: [a],
    });
    await expectIndexed(zoneIds.trigger(created.body.offerId, a));
    const unconditional = await invoke(updateOffer, as, {
      ...at,
      method: "PUT",
      body: offerBody([a]),
    });
    expect(unconditional.status).toBe(428);
    expect(errorPaths(unconditional.body)).toEqual(["If-Match"]);
  });
});
