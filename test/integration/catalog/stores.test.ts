import { describe, expect, it } from "vitest";
import { handler as createStore } from "../../../functions/store-create.ts";
import { handler as deleteStore } from "../../../functions/store-delete.ts";
import { handler as getStore } from "../../../functions/store-get.ts";
import { handler as listStores } from "../../../functions/store-list.ts";
import { handler as updateStore } from "../../../functions/store-update.ts";
import { zoneIds } from "../../../shared/domain/zone.ts";
import { uniqueId } from "../../support/aws.ts";
import {
  BASTILLE,
  cellsHolding,
  circleStore,
  errorPaths,
  expectIndexed,
  expectMovedOff,
  indexEntriesOf,
  invoke,
  LOUVRE,
  merchantItems,
  PARIS,
  TOKYO,
  zoneHead,
} from "./helpers.ts";

interface StoreBody {
  storeId: string;
  version: number;
  timeZone: string;
  zoneCells: number;
  location: { lat: number; lon: number };
  locationSource: string;
  footprint: { type: string };
}

const admin = () => ({ merchantId: uniqueId("m"), role: "merchant-admin" });

async function create(as: { merchantId: string; role: string }, body: unknown) {
  return invoke<StoreBody>(createStore, as, { method: "POST", path: "/v1/stores", body });
}

describe("stores", () => {
  it("creates a store, indexes its footprint, and reads it back with its cell count", async () => {
    const as = admin();
    const res = await create(as, circleStore(PARIS, { externalRef: "PAR-1" }));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/stores/${res.body.storeId}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      version: 1,
      timeZone: "Europe/Paris",
      locationSource: "request",
    });
    const cells = await expectIndexed(zoneIds.footprint(res.body.storeId));
    expect(res.body.zoneCells).toBe(cells.length);

    const got = await invoke<StoreBody>(
      getStore,
      { ...as, role: "marketing-analyst" },
      {
        path: `/v1/stores/${res.body.storeId}`,
        pathParameters: { storeId: res.body.storeId },
      },
    );
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it("derives the time zone from the coordinates (Tokyo)", async () => {
    const res = await create(admin(), circleStore(TOKYO));
    expect(res.status).toBe(201);
    expect(res.body.timeZone).toBe("Asia/Tokyo");
  });

  it("rejects invalid stores naming the JSON path, and writes nothing", async () => {
    const as = admin();
    const openRing = {
      type: "Polygon",
      coordinates: [
        [
          [2.3467, 48.8583],
          [2.3472, 48.8583],
          [2.3472, 48.8586],
          [2.3467, 48.8586],
        ],
      ],
    };
    const cases: [unknown, string[]][] = [
      [circleStore(PARIS, { footprint: openRing }), ["footprint/coordinates/0/3"]],
      [
        circleStore(PARIS, { footprint: { type: "Circle", center: PARIS, radiusM: 2_500 } }),
        ["footprint/radiusM"],
      ],
      [circleStore(PARIS, { timeZone: "Europe/Atlantis", name: "" }), ["name", "timeZone"]],
      [circleStore(PARIS, { merchantId: "m_other" }), ["merchantId"]],
      [
        circleStore(PARIS, {
          location: BASTILLE,
          footprint: { type: "Circle", center: TOKYO, radiusM: 30 },
        }),
        ["location"],
      ],
    ];
    for (const [body, paths] of cases) {
      const res = await create(as, body);
      expect(res.status, JSON.stringify(paths)).toBe(400);
      expect(res.headers["content-type"]).toBe("application/problem+json");
      expect(errorPaths(res.body)).toEqual(paths);
    }
    expect(await merchantItems(as.merchantId)).toEqual([]);
    expect(await indexEntriesOf(as.merchantId)).toEqual([]);
  });

  it("moving the footprint re-indexes: old-only cells no longer hold the zone", async () => {
    const as = admin();
    const created = await create(as, circleStore(PARIS));
    const id = created.body.storeId;
    const zoneId = zoneIds.footprint(id);
    const before = await expectIndexed(zoneId);
    const moved = await invoke<StoreBody>(updateStore, as, {
      method: "PUT",
      path: `/v1/stores/${id}`,
      pathParameters: { storeId: id },
      headers: { "if-match": '"1"' },
      body: circleStore(LOUVRE, { name: "Moved" }),
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ version: 2, location: LOUVRE });
    expect(moved.headers.etag).toBe('"2"');
    await expectMovedOff(zoneId, before);
  });

  it("refuses a stale If-Match with 409 naming version, and a malformed one with 400", async () => {
    const as = admin();
    const { body } = await create(as, circleStore(PARIS));
    const put = (ifMatch: string) =>
      invoke(updateStore, as, {
        method: "PUT",
        path: `/v1/stores/${body.storeId}`,
        pathParameters: { storeId: body.storeId },
        headers: { "if-match": ifMatch },
        body: circleStore(PARIS, { name: "x" }),
      });
    const stale = await put('"7"');
    expect(stale.status).toBe(409);
    expect(errorPaths(stale.body)).toEqual(["version"]);
    const malformed = await put("seven");
    expect(malformed.status).toBe(400);
    expect(errorPaths(malformed.body)).toEqual(["If-Match"]);
    expect((await put('"1"')).status).toBe(200);
  });

  it("deleting removes the store and its footprint from every cell", async () => {
    const as = admin();
    const { body } = await create(as, circleStore(BASTILLE));
    const zoneId = zoneIds.footprint(body.storeId);
    const cells = await expectIndexed(zoneId);
    const del = await invoke(deleteStore, as, {
      method: "DELETE",
      path: `/v1/stores/${body.storeId}`,
      pathParameters: { storeId: body.storeId },
    });
    expect(del.status).toBe(204);
    expect(await cellsHolding(zoneId, cells)).toEqual([]);
    expect((await zoneHead(zoneId))?.deleted).toBe(true);
    // The store is gone; what it was stays for reports (name, store code), in the same write.
    const left = await merchantItems(as.merchantId);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({
      entity: "deleted-store",
      storeId: body.storeId,
      name: expect.any(String),
      deletedAt: expect.any(String),
    });
    const again = await invoke(getStore, as, {
      path: `/v1/stores/${body.storeId}`,
      pathParameters: { storeId: body.storeId },
    });
    expect(again.status).toBe(404);
    expect(errorPaths(again.body)).toEqual(["storeId"]);
  });

  it("hides other merchants' stores: read, replace and delete answer 404", async () => {
    const owner = admin();
    const { body } = await create(owner, circleStore(PARIS));
    const intruder = admin();
    const target = {
      path: `/v1/stores/${body.storeId}`,
      pathParameters: { storeId: body.storeId },
    };
    const read = await invoke(getStore, intruder, target);
    const replace = await invoke(updateStore, intruder, {
      ...target,
      method: "PUT",
      headers: { "if-match": '"1"' },
      body: circleStore(LOUVRE),
    });
    const remove = await invoke(deleteStore, intruder, { ...target, method: "DELETE" });
    for (const res of [read, replace, remove]) {
      expect(res.status).toBe(404);
      expect(errorPaths(res.body)).toEqual(["storeId"]);
    }
    const still = await invoke<StoreBody>(getStore, owner, target);
    expect(still.body).toMatchObject({ version: 1, location: PARIS });
    await expectIndexed(zoneIds.footprint(body.storeId));
  });

  it("enforces roles: analysts read but cannot write, POS reads stores only (to redeem at them)", async () => {
    const merchantId = uniqueId("m");
    const analyst = { merchantId, role: "marketing-analyst" };
    const pos = { merchantId, role: "pos" };
    const refused = await create(analyst, circleStore(PARIS));
    expect(refused.status).toBe(403);
    expect(errorPaths(refused.body)).toEqual(["(token)/cognito:groups"]);
    expect((await create(pos, { nonsense: true })).status).toBe(403);
    expect((await invoke(listStores, analyst, { path: "/v1/stores" })).status).toBe(200);
    expect((await invoke(listStores, pos, { path: "/v1/stores" })).status).toBe(200);
    expect(await merchantItems(merchantId)).toEqual([]);
  });

  it("paginates with opaque cursors bound to the merchant", async () => {
    const as = admin();
    const other = admin();
    for (let i = 0; i < 5; i++) await create(as, circleStore(PARIS, { name: `Store ${i}` }));
    await create(other, circleStore(PARIS, { name: "Not yours" }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: { items: StoreBody[]; nextCursor: string | null } } =
        await invoke(listStores, as, {
          path: "/v1/stores",
          query: { limit: "2", ...(cursor ? { cursor } : {}) },
        });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((s) => s.storeId));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);

    const first = await invoke<{ nextCursor: string }>(listStores, as, {
      path: "/v1/stores",
      query: { limit: "2" },
    });
    const foreign = await invoke(listStores, other, {
      path: "/v1/stores",
      query: { cursor: first.body.nextCursor },
    });
    expect(foreign.status).toBe(400);
    expect(errorPaths(foreign.body)).toEqual(["cursor"]);
    const forged = await invoke(listStores, as, {
      path: "/v1/stores",
      query: { cursor: `${first.body.nextCursor.slice(0, -3)}AAA` },
    });
    expect(forged.status).toBe(400);
    expect(errorPaths(forged.body)).toEqual(["cursor"]);
    const tooBig = await invoke(listStores, as, { path: "/v1/stores", query: { limit: "500" } });
    expect(tooBig.status).toBe(400);
    expect(errorPaths(tooBig.body)).toEqual(["limit"]);
  });
});
