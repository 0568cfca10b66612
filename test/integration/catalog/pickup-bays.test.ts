import { describe, expect, it } from "vitest";
import { handler as createStore } from "../../../functions/store-create.ts";
import { handler as deleteStore } from "../../../functions/store-delete.ts";
import { handler as patchStore } from "../../../functions/store-patch.ts";
import { handler as updateStore } from "../../../functions/store-update.ts";
import { MAX_PICKUP_BAYS } from "../../../shared/domain/catalog/bays.ts";
import { zoneIds } from "../../../shared/domain/zone.ts";
import { uniqueId } from "../../support/aws.ts";
import { isolatedSite } from "../../support/fixtures.ts";
import { offsetM } from "../../support/pings.ts";
import { circleStore, errorPaths, expectIndexed, invoke, zoneHead } from "./helpers.ts";

interface StoreBody {
  storeId: string;
  version: number;
  zoneCells: number;
  pickupBays: { name?: string; geometry: { type: string } }[];
}

const admin = () => ({ merchantId: uniqueId("m"), role: "merchant-admin" });

/** A square polygon of `sideM` metres centred `northM` north of `at`. */
function square(at: { lat: number; lon: number }, northM: number, sideM: number) {
  const h = sideM / 2;
  const c = (e: number, n: number) => {
    const p = offsetM(at, e, northM + n);
    return [p.lon, p.lat];
  };
  return { type: "Polygon", coordinates: [[c(-h, -h), c(h, -h), c(h, h), c(-h, h), c(-h, -h)]] };
}

function bays(at: { lat: number; lon: number }) {
  const bay1 = offsetM(at, 40, 0);
  return [
    { name: "Bay 1", geometry: { type: "Circle", center: bay1, radiusM: 4 } },
    { name: "Curbside lane", geometry: square(at, 45, 12) },
  ];
}

async function isGone(zoneId: string): Promise<boolean> {
  const head = await zoneHead(zoneId);
  return !head || head.deleted === true || head.cells.length === 0;
}

/** A merchant admin creates a store with {@link bays} on a site of its own (201 expected). */
async function createStoreWithBays() {
  const as = admin();
  const at = await isolatedSite();
  const res = await invoke<StoreBody>(createStore, as, {
    method: "POST",
    path: "/v1/stores",
    body: circleStore(at, { pickupBays: bays(at) }),
  });
  expect(res.status).toBe(201);
  return { as, at, res };
}

describe("pickup bays in the catalog", () => {
  it("creates a store with bays, indexes each bay as a zone and counts its cells", async () => {
    const { as, at, res } = await createStoreWithBays();
    expect(res.body.pickupBays.map((b) => [b.name, b.geometry.type])).toEqual([
      ["Bay 1", "Circle"],
      ["Curbside lane", "Polygon"],
    ]);
    const fp = await expectIndexed(zoneIds.footprint(res.body.storeId));
    const b0 = await expectIndexed(zoneIds.bay(res.body.storeId, 0));
    const b1 = await expectIndexed(zoneIds.bay(res.body.storeId, 1));
    expect(res.body.zoneCells).toBe(fp.length + b0.length + b1.length);

    // PUT with one bay: the second leaves the index; PATCH null removes the last.
    const put = await invoke<StoreBody>(updateStore, as, {
      method: "PUT",
      path: `/v1/stores/${res.body.storeId}`,
      pathParameters: { storeId: res.body.storeId },
      headers: { "if-match": '"1"' },
      body: circleStore(at, { pickupBays: bays(at).slice(0, 1) }),
    });
    expect(put.status).toBe(200);
    expect(put.body.pickupBays).toHaveLength(1);
    await expectIndexed(zoneIds.bay(res.body.storeId, 0));
    expect(await isGone(zoneIds.bay(res.body.storeId, 1))).toBe(true);

    const patched = await invoke<StoreBody>(patchStore, as, {
      method: "PATCH",
      path: `/v1/stores/${res.body.storeId}`,
      pathParameters: { storeId: res.body.storeId },
      headers: { "content-type": "application/merge-patch+json", "if-match": '"2"' },
      body: { pickupBays: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.pickupBays).toEqual([]);
    expect(await isGone(zoneIds.bay(res.body.storeId, 0))).toBe(true);
    expect(patched.body.zoneCells).toBe(fp.length);
  });

  it("deleting a store removes its bays from the index", async () => {
    const { as, res } = await createStoreWithBays();
    const del = await invoke(deleteStore, as, {
      method: "DELETE",
      path: `/v1/stores/${res.body.storeId}`,
      pathParameters: { storeId: res.body.storeId },
      headers: { "if-match": '"1"' },
    });
    expect(del.status).toBe(204);
    expect(await isGone(zoneIds.bay(res.body.storeId, 0))).toBe(true);
    expect(await isGone(zoneIds.bay(res.body.storeId, 1))).toBe(true);
  });

  it("refuses bays too large, too far, malformed or too many, naming the bay", async () => {
    const as = admin();
    const at = await isolatedSite();
    const post = (pickupBays: unknown) =>
      invoke(createStore, as, {
        method: "POST",
        path: "/v1/stores",
        body: circleStore(at, { pickupBays }),
      });
    const big = await post([{ geometry: { type: "Circle", center: at, radiusM: 51 } }]);
    expect(big.status).toBe(400);
    expect(errorPaths(big.body)).toEqual(["pickupBays/0/geometry/radiusM"]);

    // A 100 m × 100 m polygon: 10,000 m², over the area of a 50 m circle (7,854 m²).
    const lot = await post([bays(at)[0], { geometry: square(at, 90, 100) }]);
    expect(lot.status).toBe(400);
    expect(errorPaths(lot.body)).toEqual(["pickupBays/1/geometry"]);

    // 25 m footprint; a bay 330 m from the centre lies 301 m beyond its edge (4 m radius).
    const far = await post([
      { geometry: { type: "Circle", center: offsetM(at, 0, 330), radiusM: 4 } },
    ]);
    expect(far.status).toBe(400);
    expect(errorPaths(far.body)).toEqual(["pickupBays/0/geometry"]);
    const near = await post([
      { geometry: { type: "Circle", center: offsetM(at, 0, 320), radiusM: 4 } },
    ]);
    expect(near.status).toBe(201);

    const selfCrossing = await post([
      {
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [at.lon, at.lat],
              [at.lon + 0.0001, at.lat + 0.0001],
              [at.lon + 0.0001, at.lat],
              [at.lon, at.lat + 0.0001],
              [at.lon, at.lat],
            ],
          ],
        },
      },
    ]);
    expect(selfCrossing.status).toBe(400);
    expect(errorPaths(selfCrossing.body)[0]).toMatch(/^pickupBays\/0\/geometry/);

    const one = bays(at)[0];
    const many = await post(Array.from({ length: MAX_PICKUP_BAYS + 1 }, () => one));
    expect(many.status).toBe(400);
    expect(errorPaths(many.body)).toEqual(["pickupBays"]);
    const most = await post(Array.from({ length: MAX_PICKUP_BAYS }, () => one));
    expect(most.status).toBe(201);

    const unknown = await post([{ ...one, colour: "blue" }]);
    expect(unknown.status).toBe(400);
  });
});
