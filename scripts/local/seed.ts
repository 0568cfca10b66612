import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { dynamoAppKeyStore } from "../../shared/adapters/dynamo/app-key-store.ts";
import { dynamoCatalogStore } from "../../shared/adapters/dynamo/catalog-store.ts";
import { dynamoGeoIndex } from "../../shared/adapters/dynamo/geo-index.ts";
import { dynamoStorePoints } from "../../shared/adapters/dynamo/store-points.ts";
import { systemClock, systemRandom } from "../../shared/adapters/system.ts";
import type { MerchantPrincipal } from "../../shared/auth/principal.ts";
import type { OfferInput, StoreInput } from "../../shared/domain/catalog/index.ts";
import { memoizedZoneCover } from "../../shared/domain/catalog/zones.ts";
import { ServiceUnavailableError } from "../../shared/errors.ts";
import { cursorCodec } from "../../shared/http/cursor.ts";
import { createAppKey } from "../../shared/use-cases/app-keys.ts";
import type { CatalogDeps } from "../../shared/use-cases/catalog/deps.ts";
import { createOffer } from "../../shared/use-cases/catalog/offers.ts";
import { createStore } from "../../shared/use-cases/catalog/stores.ts";

export const DEMO_MERCHANT_ID = "m_demo";

/**
 * A demo café whose footprint is a circle of `radiusM` metres around its location (lat/lon in
 * degrees, WGS 84).
 */
function demoCafe(
  storeId: string,
  quarter: string,
  externalRef: string,
  address: string,
  at: { lat: number; lon: number; radiusM: number },
): { storeId: string; input: StoreInput } {
  const location = { lat: at.lat, lon: at.lon };
  return {
    storeId,
    input: {
      name: `Café Lumière — ${quarter}`,
      externalRef,
      address,
      location,
      footprint: { type: "Circle", center: location, radiusM: at.radiusM },
    },
  };
}

/** Demo stores in Paris, with fixed ids so seeding again finds them instead of duplicating. */
export const DEMO_STORES: { storeId: string; input: StoreInput }[] = [
  {
    storeId: "st_demo-chatelet",
    input: {
      name: "Café Lumière — Châtelet",
      externalRef: "PAR-001",
      address: "12 Rue de la Ferronnerie, 75001 Paris",
      location: { lat: 48.86025, lon: 2.34765 },
      footprint: {
        type: "Polygon",
        coordinates: [
          [
            [2.34745, 48.86015],
            [2.3479, 48.86015],
            [2.3479, 48.8604],
            [2.34745, 48.8604],
            [2.34745, 48.86015],
          ],
        ],
      },
      openingHours: [
        { days: ["mon", "tue", "wed", "thu", "fri", "sat"], start: "08:00", end: "20:00" },
      ],
    },
  },
  demoCafe("st_demo-marais", "Le Marais", "PAR-002", "24 Rue des Francs-Bourgeois, 75003 Paris", {
    lat: 48.85765,
    lon: 2.36035,
    radiusM: 20,
  }),
  demoCafe(
    "st_demo-saint-germain",
    "Saint-Germain",
    "PAR-003",
    "151 Boulevard Saint-Germain, 75006 Paris",
    { lat: 48.85395, lon: 2.33295, radiusM: 25 },
  ),
  demoCafe("st_demo-bastille", "Bastille", "PAR-004", "5 Rue de la Roquette, 75011 Paris", {
    lat: 48.854,
    lon: 2.3708,
    radiusM: 20,
  }),
  demoCafe("st_demo-montmartre", "Montmartre", "PAR-005", "18 Rue des Abbesses, 75018 Paris", {
    lat: 48.88455,
    lon: 2.3379,
    radiusM: 20,
  }),
];

/** Two demo offers: a weekday lunch deal with a 20 % holdout, and an evening dwell offer. */
export const DEMO_OFFERS: { offerId: string; input: OfferInput }[] = [
  {
    offerId: "of_demo-lunch",
    input: {
      name: "Weekday lunch −15 %",
      storeIds: ["st_demo-chatelet", "st_demo-marais", "st_demo-saint-germain"],
      triggerZone: { type: "StoreRadius", radiusM: 300 },
      trigger: { on: "enter" },
      message: {
        title: "Lunch nearby? −15 % today",
        body: "Show this code at Café Lumière before 14:30 for 15 % off your lunch.",
        deepLink: "https://demo.footfall.dev/offers/lunch",
      },
      validFrom: "2025-01-01T00:00:00.000Z",
      validTo: "2030-12-31T23:00:00.000Z",
      schedule: [{ days: ["mon", "tue", "wed", "thu", "fri"], start: "11:30", end: "14:30" }],
      caps: { perDevicePerDay: 1, perDeviceTotal: 10, cooldownMinutes: 240 },
      budget: { maxIncentives: 5_000 },
      holdoutPercent: 20,
      attributionWindowHours: 48,
      redemption: { codeKind: "unique", expiresAfterHours: 24 },
      priority: 10,
    },
  },
  {
    offerId: "of_demo-evening",
    input: {
      name: "Evening free dessert",
      storeIds: ["st_demo-bastille", "st_demo-montmartre"],
      triggerZone: { type: "StoreRadius", radiusM: 500 },
      trigger: { on: "dwell", dwellSeconds: 180 },
      message: {
        title: "Free dessert tonight",
        body: "Dinner near Bastille or Montmartre? Your dessert is on us with code SWEET-EVENING.",
      },
      validFrom: "2025-01-01T00:00:00.000Z",
      validTo: "2030-12-31T23:00:00.000Z",
      schedule: [
        { days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: "18:00", end: "22:00" },
      ],
      caps: { perDevicePerDay: 1, cooldownMinutes: 720 },
      holdoutPercent: 0,
      attributionWindowHours: 24,
      redemption: { codeKind: "static", staticCode: "SWEET-EVENING", expiresAfterHours: 6 },
      priority: 0,
    },
  },
];

/**
 * Seeds the demo merchant's stores and offers through the real use cases (so they are
 * validated and indexed like any merchant's). Idempotent: fixed ids, and whatever already
 * exists is left as it is.
 */
export async function seedDemoCatalog(
  client: DynamoDBDocumentClient,
  env: Record<string, string>,
  merchantId: string = DEMO_MERCHANT_ID,
): Promise<{ stores: number; offers: number }> {
  const catalogTable = env.CATALOG_TABLE ?? "";
  const cover = memoizedZoneCover();
  let nextId = "";
  const deps: CatalogDeps = {
    catalog: dynamoCatalogStore(client, catalogTable),
    geoIndex: dynamoGeoIndex(client, {
      geoTable: env.GEO_INDEX_TABLE ?? "",
      catalogTable,
      cover,
    }),
    geocoder: {
      geocode: () => Promise.reject(new ServiceUnavailableError("no geocoder in the seed")),
    },
    cursors: cursorCodec(env.CURSOR_SECRET ?? "demo-seed-cursor-secret-not-used-for-paging"),
    storePoints: dynamoStorePoints(client, env.GEO_INDEX_TABLE ?? ""),
    cover,
    clock: systemClock,
    random: { bytes: systemRandom.bytes, id: () => nextId },
  };
  const admin: MerchantPrincipal = { merchantId, subject: "seed", roles: ["merchant-admin"] };
  let stores = 0;
  let offers = 0;
  for (const demo of DEMO_STORES) {
    if (await deps.catalog.getStore(merchantId, demo.storeId)) continue;
    nextId = demo.storeId;
    await createStore(deps, admin, demo.input);
    stores += 1;
  }
  for (const demo of DEMO_OFFERS) {
    if (await deps.catalog.getOffer(merchantId, demo.offerId)) continue;
    nextId = demo.offerId;
    await createOffer(deps, admin, demo.input);
    offers += 1;
  }
  return { stores, offers };
}

export interface SeedResult {
  merchantId: string;
  appKey: string;
}

/**
 * Seeds the demo merchant idempotently: the demo app key is kept (plaintext) only in the local
 * data directory, and recreated when the database no longer knows it.
 */
export async function seedDemo(
  client: DynamoDBDocumentClient,
  env: Record<string, string>,
  dataDir: string | undefined,
): Promise<SeedResult> {
  await seedDemoCatalog(client, env);
  const appKeys = dynamoAppKeyStore(client, env.CATALOG_TABLE ?? "");
  const keyFile = dataDir ? join(dataDir, "demo-app-key.txt") : undefined;
  if (keyFile && existsSync(keyFile)) {
    const existing = readFileSync(keyFile, "utf8").trim();
    if (await appKeys.find(existing)) return { merchantId: DEMO_MERCHANT_ID, appKey: existing };
  }
  const created = await createAppKey(
    { appKeys, clock: systemClock, random: systemRandom, masterKey: env.PSEUDONYM_KEY ?? "" },
    "Demo app",
  );
  if (keyFile) writeFileSync(keyFile, `${created.appKey}\n`, { mode: 0o600 });
  return { merchantId: DEMO_MERCHANT_ID, appKey: created.appKey };
}
