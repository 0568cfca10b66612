import { describe, expect, it } from "vitest";
import {
  DEMO_MERCHANT_ID,
  DEMO_OFFERS,
  DEMO_STORES,
  seedDemo,
  seedDemoCatalog,
} from "../../../scripts/local/seed.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { deriveTimeZone } from "../../../shared/domain/catalog/time-zone.ts";
import { haversineM } from "../../../shared/domain/geometry/index.ts";
import { zoneIds } from "../../../shared/domain/zone.ts";
import { expectIndexed, merchantItems } from "./helpers.ts";

describe("demo catalog seed", () => {
  it("creates five Paris stores and two offers (one with a holdout), once", async () => {
    const env = process.env as Record<string, string>;
    const seeded = await seedDemo(documentClient, env, undefined);
    expect(seeded.merchantId).toBe(DEMO_MERCHANT_ID);
    expect(await seedDemoCatalog(documentClient, env)).toEqual({ stores: 0, offers: 0 });

    const items = await merchantItems(DEMO_MERCHANT_ID);
    expect(items.filter((i) => i.entity === "store")).toHaveLength(DEMO_STORES.length);
    const offers = items.filter((i) => i.entity === "offer");
    expect(offers).toHaveLength(2);
    expect(offers.map((o) => o.holdoutPercent).sort()).toEqual([0, 20]);

    const notreDame = { lat: 48.853, lon: 2.3499 };
    for (const { input } of DEMO_STORES) {
      const at = input.location as { lat: number; lon: number };
      expect(deriveTimeZone(at.lat, at.lon)).toBe("Europe/Paris");
      expect(haversineM(at.lat, at.lon, notreDame.lat, notreDame.lon)).toBeLessThan(5_000);
    }
    for (const { offerId, input } of DEMO_OFFERS) {
      for (const storeId of input.storeIds) await expectIndexed(zoneIds.trigger(offerId, storeId));
    }
    for (const { storeId } of DEMO_STORES) await expectIndexed(zoneIds.footprint(storeId));
  });
});
