import { describe, expect, it } from "vitest";
import { handler as importStores } from "../../../functions/store-import.ts";
import { handler as listStores } from "../../../functions/store-list.ts";
import { IMPORT_MAX_BODY_BYTES } from "../../../shared/domain/catalog/index.ts";
import { zoneIds } from "../../../shared/domain/zone.ts";
import { uniqueId } from "../../support/aws.ts";
import {
  errorPaths,
  expectIndexed,
  indexEntriesOf,
  invoke,
  merchantItems,
  type Problem,
} from "./helpers.ts";

const admin = () => ({ merchantId: uniqueId("m"), role: "merchant-admin" });

const point = (lon: number, lat: number, properties: Record<string, unknown>) => ({
  type: "Feature",
  geometry: { type: "Point", coordinates: [lon, lat] },
  properties,
});

const square = (lon: number, lat: number, properties: Record<string, unknown>) => ({
  type: "Feature",
  geometry: {
    type: "Polygon",
    coordinates: [
      [
        [lon, lat],
        [lon + 0.0005, lat],
        [lon + 0.0005, lat + 0.0003],
        [lon, lat + 0.0003],
        [lon, lat],
      ],
    ],
  },
  properties,
});

function post(as: { merchantId: string; role: string }, body: unknown) {
  return invoke<Record<string, unknown>>(importStores, as, {
    method: "POST",
    path: "/v1/stores:import",
    body,
  });
}

describe("store import", () => {
  it("writes nothing (no store, no index cell) when one of three features is bad", async () => {
    const as = admin();
    const selfCrossing = {
      type: "Feature",
      properties: { name: "Bow tie" },
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [2.35, 48.85],
            [2.3505, 48.8503],
            [2.3505, 48.85],
            [2.35, 48.8503],
            [2.35, 48.85],
          ],
        ],
      },
    };
    const res = await post(as, {
      type: "FeatureCollection",
      features: [
        point(2.347, 48.8584, { name: "Châtelet" }),
        selfCrossing,
        square(2.3603, 48.8576, { name: "Marais", externalRef: "PAR-2" }),
      ],
    });
    expect(res.status).toBe(400);
    const problem = res.body as unknown as Problem;
    expect(problem.errors).toHaveLength(1);
    expect(problem.errors?.[0]).toMatchObject({ index: 1 });
    expect(problem.errors?.[0]?.path).toMatch(/^features\/1\/geometry\/coordinates\/0\/\d$/);
    expect(await merchantItems(as.merchantId)).toEqual([]);
    expect(await indexEntriesOf(as.merchantId)).toEqual([]);
  });

  it("reports every bad feature at once, with index and path", async () => {
    const as = admin();
    const res = await post(as, {
      type: "FeatureCollection",
      features: [
        point(2.347, 48.8584, {}),
        point(2.347, 91, { name: "North of north" }),
        point(2.347, 48.8584, { name: "Huge", radiusM: 10_000 }),
        point(2.347, 48.8584, {
          name: "x",
          openingHours: [{ days: ["mon"], start: "9", end: "17:00" }],
        }),
      ],
    });
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toEqual([
      "features/0/properties/name",
      "features/1/geometry/coordinates/1",
      "features/2/properties/radiusM",
      "features/3/properties/openingHours/0/start",
    ]);
    expect((res.body as unknown as Problem).errors?.map((e) => e.index)).toEqual([0, 1, 2, 3]);
    expect(await merchantItems(as.merchantId)).toEqual([]);
  });

  it("imports all features and indexes every footprint", async () => {
    const as = admin();
    const features = Array.from({ length: 30 }, (_, i) =>
      i % 2 === 0
        ? point(2.34 + i * 0.001, 48.85, { name: `Point ${i}`, externalRef: `P-${i}` })
        : square(2.34 + i * 0.001, 48.86, { name: `Square ${i}`, externalRef: `P-${i}` }),
    );
    const res = await post(as, { type: "FeatureCollection", features });
    expect(res.status).toBe(201);
    const body = res.body as {
      imported: number;
      stores: { storeId: string; externalRef: string }[];
    };
    expect(body.imported).toBe(30);
    expect(body.stores.map((s) => s.externalRef)).toEqual(features.map((_, i) => `P-${i}`));
    for (const s of body.stores.slice(0, 4)) await expectIndexed(zoneIds.footprint(s.storeId));
    const page = await invoke<{ items: unknown[] }>(listStores, as, {
      path: "/v1/stores",
      query: { limit: "100" },
    });
    expect(page.body.items).toHaveLength(30);
  });

  it("accepts bodies up to 6 MB on this route only", async () => {
    const as = admin();
    const pad = "x".repeat(2 * 1024 * 1024);
    const big = await post(as, {
      type: "FeatureCollection",
      features: [point(2.347, 48.8584, { name: "Padded", note: pad })],
    });
    expect(big.status).toBe(201);
    const tooBig = await invoke(importStores, as, {
      method: "POST",
      path: "/v1/stores:import",
      rawBody: JSON.stringify({ pad: "x".repeat(IMPORT_MAX_BODY_BYTES) }),
    });
    expect(tooBig.status).toBe(413);
  });

  it("refuses analysts", async () => {
    const merchantId = uniqueId("m");
    const res = await post(
      { merchantId, role: "marketing-analyst" },
      {
        type: "FeatureCollection",
        features: [point(2.347, 48.8584, { name: "A" })],
      },
    );
    expect(res.status).toBe(403);
    expect(await merchantItems(merchantId)).toEqual([]);
  });
});
