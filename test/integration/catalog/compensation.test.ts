import { describe, expect, it } from "vitest";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../../../shared/adapters/dynamo/catalog-store.ts";
import { dynamoGeoIndex } from "../../../shared/adapters/dynamo/geo-index.ts";
import type { GeoIndex } from "../../../shared/adapters/dynamo/geo-index-port.ts";
import { systemClock, systemRandom } from "../../../shared/adapters/system.ts";
import type { MerchantPrincipal } from "../../../shared/auth/principal.ts";
import { offerInputSchema, storeInputSchema } from "../../../shared/domain/catalog/index.ts";
import { memoizedZoneCover } from "../../../shared/domain/catalog/zones.ts";
import { zoneIds } from "../../../shared/domain/zone.ts";
import { ServiceUnavailableError } from "../../../shared/errors.ts";
import { cursorCodec } from "../../../shared/http/cursor.ts";
import type { CatalogDeps } from "../../../shared/use-cases/catalog/deps.ts";
import { createOffer } from "../../../shared/use-cases/catalog/offers.ts";
import { createStore, replaceStore } from "../../../shared/use-cases/catalog/stores.ts";
import { env, uniqueId } from "../../support/aws.ts";
import {
  BASTILLE,
  circleStore,
  expectIndexed,
  indexEntriesOf,
  LOUVRE,
  merchantItems,
  offerBody,
  PARIS,
  zoneHead,
} from "./helpers.ts";

/** The real adapters, with an index that starts failing after `okPuts` successful puts. */
function depsFailingAfter(okPuts: number): CatalogDeps & { arm(n: number): void } {
  const cover = memoizedZoneCover();
  const real = dynamoGeoIndex(documentClient, {
    geoTable: env("GEO_INDEX_TABLE"),
    catalogTable: env("CATALOG_TABLE"),
    cover,
  });
  let left = okPuts;
  const geoIndex: Pick<GeoIndex, "putZone" | "removeZone"> = {
    putZone: async (zone) => {
      if (left <= 0) throw new Error("index write failed");
      left -= 1;
      return real.putZone(zone);
    },
    removeZone: (zoneId) => real.removeZone(zoneId),
  };
  return {
    catalog: dynamoCatalogStore(documentClient, env("CATALOG_TABLE")),
    geoIndex,
    geocoder: { geocode: () => Promise.reject(new ServiceUnavailableError("none")) },
    cursors: cursorCodec(env("CURSOR_SECRET")),
    cover,
    clock: systemClock,
    random: systemRandom,
    indexConcurrency: 1,
    arm: (n) => {
      left = n;
    },
  };
}

const admin = (): MerchantPrincipal => ({
  merchantId: uniqueId("m"),
  subject: "admin",
  roles: ["merchant-admin"],
});

describe("nothing is half-written when indexing fails", () => {
  it("a store whose footprint cannot be indexed is not kept", async () => {
    const principal = admin();
    const deps = depsFailingAfter(0);
    await expect(
      createStore(deps, principal, storeInputSchema.parse(circleStore(PARIS))),
    ).rejects.toThrow("index write failed");
    expect(await merchantItems(principal.merchantId)).toEqual([]);
    expect(await indexEntriesOf(principal.merchantId)).toEqual([]);
  });

  it("an offer whose second zone fails is removed with its links and first zone", async () => {
    const principal = admin();
    const deps = depsFailingAfter(2);
    const a = await createStore(deps, principal, storeInputSchema.parse(circleStore(PARIS)));
    const b = await createStore(deps, principal, storeInputSchema.parse(circleStore(LOUVRE)));
    deps.arm(1);
    await expect(
      createOffer(deps, principal, offerInputSchema.parse(offerBody([a.storeId, b.storeId]))),
    ).rejects.toThrow("index write failed");
    const items = await merchantItems(principal.merchantId);
    expect(items.filter((i) => i.entity === "offer")).toEqual([]);
    expect(items.every((i) => i.offerIds === undefined)).toBe(true);
    const entries = await indexEntriesOf(principal.merchantId);
    expect(entries.every((e) => e.includes("/fp."))).toBe(true);
  });

  it("a store move that cannot be indexed is rolled back to the old place", async () => {
    const principal = admin();
    const deps = depsFailingAfter(1);
    const created = await createStore(deps, principal, storeInputSchema.parse(circleStore(PARIS)));
    const zoneId = zoneIds.footprint(created.storeId);
    const before = await expectIndexed(zoneId);
    await expect(
      replaceStore(deps, principal, created.storeId, storeInputSchema.parse(circleStore(BASTILLE))),
    ).rejects.toThrow("index write failed");
    const stored = await deps.catalog.getStore(principal.merchantId, created.storeId);
    expect(stored?.location).toEqual(PARIS);
    expect(await expectIndexed(zoneId)).toEqual(before);
    expect((await zoneHead(zoneId))?.deleted).not.toBe(true);
  });
});
