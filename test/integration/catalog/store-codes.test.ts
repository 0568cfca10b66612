import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { handler as listOffers } from "../../../functions/offer-list.ts";
import { handler as redeem } from "../../../functions/redemption-create.ts";
import { handler as createStore } from "../../../functions/store-create.ts";
import { handler as deleteStore } from "../../../functions/store-delete.ts";
import { handler as getStore } from "../../../functions/store-get.ts";
import { handler as listStores } from "../../../functions/store-list.ts";
import { handler as patchStore } from "../../../functions/store-patch.ts";
import { handler as updateStore } from "../../../functions/store-update.ts";
import { REDEMPTION_CODE_ALPHABET } from "../../../shared/domain/decision/redemption-code.ts";
import { uniqueId } from "../../support/aws.ts";
import { putCode, putOffer } from "../reports/fixtures.ts";
import {
  BASTILLE,
  circleStore,
  errorPaths,
  invoke,
  LOUVRE,
  merchantItems,
  PARIS,
} from "./helpers.ts";

interface StoreBody {
  storeId: string;
  externalRef?: string;
  name: string;
  version: number;
}

const admin = () => ({ merchantId: uniqueId("m"), role: "merchant-admin" });

async function create(as: { merchantId: string; role: string }, ref: string, at = PARIS) {
  return invoke<StoreBody>(createStore, as, {
    method: "POST",
    path: "/v1/stores",
    body: circleStore(at, { externalRef: ref }),
  });
}

const byCode = (ref: string) => ({
  path: `/v1/stores/code:${ref}`,
  pathParameters: { storeId: `code:${ref}` },
});

describe("store codes (externalRef)", () => {
  it("are unique per merchant: a second store with the code is 409 naming externalRef", async () => {
    const as = admin();
    const first = await create(as, "PAR-001");
    expect(first.status).toBe(201);
    const second = await create(as, "PAR-001", LOUVRE);
    expect(second.status).toBe(409);
    expect(errorPaths(second.body)).toEqual(["externalRef"]);
    const stores = (await merchantItems(as.merchantId)).filter((i) => i.entity === "store");
    expect(stores).toHaveLength(1);
    // Another merchant may use the same code.
    expect((await create(admin(), "PAR-001")).status).toBe(201);
  });

  it("find a store by ?externalRef= and by /v1/stores/code:{code}, and update it there", async () => {
    const as = admin();
    const { body } = await create(as, "LYO 7/B");
    await create(as, "LYO-8", LOUVRE);
    const listed = await invoke<{ items: StoreBody[]; nextCursor: null }>(listStores, as, {
      path: "/v1/stores",
      query: { externalRef: "LYO 7/B" },
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((s) => s.storeId)).toEqual([body.storeId]);
    expect(listed.body.nextCursor).toBeNull();
    const none = await invoke<{ items: StoreBody[] }>(listStores, as, {
      path: "/v1/stores",
      query: { externalRef: "NOPE" },
    });
    expect(none.body.items).toEqual([]);

    const got = await invoke<StoreBody>(getStore, as, byCode("LYO 7/B"));
    expect(got.status).toBe(200);
    expect(got.body.storeId).toBe(body.storeId);
    const patched = await invoke<StoreBody>(patchStore, as, {
      ...byCode("LYO 7/B"),
      method: "PATCH",
      headers: { "content-type": "application/merge-patch+json" },
      body: { name: "Lyon Part-Dieu" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ storeId: body.storeId, name: "Lyon Part-Dieu" });
    // Another merchant's code is not found.
    expect((await invoke(getStore, admin(), byCode("LYO 7/B"))).status).toBe(404);
    expect((await invoke(getStore, as, byCode("LYO-404"))).status).toBe(404);
  });

  it("a renamed or deleted store frees its code for another store", async () => {
    const as = admin();
    const a = await create(as, "A-1");
    const renamed = await invoke<StoreBody>(updateStore, as, {
      ...byCode("A-1"),
      method: "PUT",
      headers: { "if-match": '"1"' },
      body: circleStore(PARIS, { externalRef: "A-2" }),
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.externalRef).toBe("A-2");
    expect((await invoke(getStore, as, byCode("A-1"))).status).toBe(404);
    const b = await create(as, "A-1", BASTILLE);
    expect(b.status).toBe(201);
    // Taking a code in use by a replacement is refused, and nothing changes.
    const clash = await invoke(updateStore, as, {
      ...byCode("A-2"),
      method: "PUT",
      headers: { "if-match": '"2"' },
      body: circleStore(PARIS, { externalRef: "A-1" }),
    });
    expect(clash.status).toBe(409);
    expect(errorPaths(clash.body)).toEqual(["externalRef"]);
    expect((await invoke<StoreBody>(getStore, as, byCode("A-2"))).body.storeId).toBe(
      a.body.storeId,
    );
    const del = await invoke(deleteStore, as, { ...byCode("A-2"), method: "DELETE" });
    expect(del.status).toBe(204);
    expect((await create(as, "A-2", LOUVRE)).status).toBe(201);
    const codes = (await merchantItems(as.merchantId)).filter((i) => i.entity === "storeCode");
    expect(codes.map((c) => c.sk).sort()).toEqual(["STORECODE#A-1", "STORECODE#A-2"]);
  });

  it("POS staff list and read the stores (by id or code) but not offers", async () => {
    const as = admin();
    const { body } = await create(as, "TILL-1");
    const pos = { merchantId: as.merchantId, role: "pos" };
    const list = await invoke<{ items: StoreBody[] }>(listStores, pos, { path: "/v1/stores" });
    expect(list.status).toBe(200);
    expect(list.body.items.map((s) => s.storeId)).toEqual([body.storeId]);
    expect((await invoke(getStore, pos, byCode("TILL-1"))).status).toBe(200);
    expect((await invoke(listOffers, pos, { path: "/v1/offers" })).status).toBe(403);
    expect((await create(pos, "TILL-2")).status).toBe(403);
  });

  it("a till redeems with {code, storeCode}; an unknown store code is 404 naming storeCode", async () => {
    const as = admin();
    const { body } = await create(as, "TILL-9");
    const offerId = uniqueId("of");
    await putOffer(as.merchantId, offerId, {
      storeIds: [body.storeId],
      message: { title: "Free coffee", body: "b" },
    });
    let code = "";
    for (let i = 0; i < 10; i++) {
      code += REDEMPTION_CODE_ALPHABET[randomInt(REDEMPTION_CODE_ALPHABET.length)];
    }
    await putCode({
      merchantId: as.merchantId,
      code,
      incentiveId: uniqueId("inc"),
      offerId,
      storeId: body.storeId,
      storeIds: [body.storeId],
      expiresAtMs: Date.now() + 3_600_000,
      title: "Free coffee",
    });
    const pos = { merchantId: as.merchantId, role: "pos" };
    const post = (b: unknown) =>
      invoke<{ storeId: string; title: string }>(redeem, pos, {
        method: "POST",
        path: "/v1/redemptions",
        body: b,
      });
    const unknown = await post({ code, storeCode: "TILL-0" });
    expect(unknown.status).toBe(404);
    expect(errorPaths(unknown.body)).toEqual(["storeCode"]);
    const both = await post({ code, storeCode: "TILL-9", storeId: body.storeId });
    expect(both.status).toBe(400);
    const ok = await post({ code, storeCode: "TILL-9" });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ storeId: body.storeId, title: "Free coffee" });
  });
});
