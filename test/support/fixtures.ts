import {
  GetCommand,
  type GetCommandOutput,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { documentClient } from "../../shared/adapters/aws-clients.ts";
import type { DevicePrincipal } from "../../shared/auth/principal.ts";
import { catalogKeys } from "../../shared/domain/catalog/common.ts";
import type { Offer } from "../../shared/domain/catalog/offer.ts";
import type { Store } from "../../shared/domain/catalog/store.ts";
import { conversionKeys } from "../../shared/domain/conversion.ts";
import { type Device, deviceKeys } from "../../shared/domain/device.ts";
import { encodeZone } from "../../shared/domain/geometry/codec.ts";
import type { DwelledEvent } from "../../shared/domain/visit/types.ts";
import { zoneIds } from "../../shared/domain/zone.ts";
import { geoIndexFromConfig } from "../../shared/wiring/geo-index.ts";
import { env, uniqueId } from "./aws.ts";
import { offsetM } from "./geo.ts";
import { devicePrincipalFor } from "./pings.ts";

export const PARIS = { lat: 48.8606, lon: 2.3376 };

/**
 * 14:00 UTC (15:00 or 16:00 in Paris) of the latest day that has begun: a recent afternoon,
 * outside quiet hours, never in the future. Epoch ms.
 */
export function lastAfternoonUtc(): number {
  const d = new Date();
  d.setUTCHours(14, 0, 0, 0);
  return d.getTime() > Date.now() ? d.getTime() - 86_400_000 : d.getTime();
}

/**
 * The item stored at `key` in the table whose name the env var `table` holds (the global setup
 * provides them), read consistently; undefined when there is none.
 */
export async function storedItem(
  table: string,
  key: Record<string, unknown>,
): Promise<GetCommandOutput["Item"]> {
  const out = await documentClient.send(
    new GetCommand({ TableName: env(table), Key: key, ConsistentRead: true }),
  );
  return out.Item;
}

/** Writes `item` as it stands into the table whose name the env var `table` holds. */
export async function putItem(table: string, item: Record<string, unknown>): Promise<void> {
  await documentClient.send(new PutCommand({ TableName: env(table), Item: item }));
}

/** One day's counters of an offer at a store (`day` local YYYY-MM-DD), consistent read. */
export async function offerCounters(
  merchantId: string,
  offerId: string,
  storeId: string,
  day: string,
): Promise<Record<string, unknown> | undefined> {
  return await storedItem(
    "CONVERSIONS_TABLE",
    conversionKeys.offerCounters(merchantId, offerId, storeId, day),
  );
}

/** The merchant's footfall conversion log as stored (consistent read of its partition). */
export async function conversionLog<T = Record<string, unknown>>(merchantId: string): Promise<T[]> {
  const out = await documentClient.send(
    new QueryCommand({
      TableName: env("CONVERSIONS_TABLE"),
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": conversionKeys.logPartition(merchantId) },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []) as T[];
}

/** A device's stored profile item (consistent read); undefined once erased. */
export async function deviceProfile(
  deviceId: string,
): Promise<Record<string, unknown> | undefined> {
  return await storedItem("DEVICES_TABLE", deviceKeys.profile(deviceId));
}

/** A bare registered profile: the ping path's snapshot read finds the device. */
export async function putBareProfile(deviceId: string): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: env("DEVICES_TABLE"),
      Item: { ...deviceKeys.profile(deviceId), entity: "device" },
    }),
  );
}

/** The device dwelled 300 s in the store's footprint, the dwell confirmed at `at` (epoch ms). */
export function footprintDwell(
  seeded: { merchantId: string; storeId: string },
  at: number,
): DwelledEvent {
  return {
    type: "dwelled",
    kind: "footprint",
    zoneId: zoneIds.footprint(seeded.storeId),
    merchantId: seeded.merchantId,
    storeId: seeded.storeId,
    at,
    enteredAt: at - 300_000,
    dwellS: 300,
  };
}

/** Moves a point by metres east/north (small distances). */
export const offset = offsetM;

/**
 * Three slow pings inside a store at `location` (accuracy 8 m), `startAt` onwards 70 s apart,
 * each `stepM` metres east of the last, at `speedMps`: a dwell once the zone's dwell time passes.
 */
export function inStorePings(
  location: { lat: number; lon: number },
  startAt: number,
  stepM: number,
  speedMps: number,
) {
  return [0, 70, 140].map((s, i) => ({
    ...offsetM(location, stepM * i, 0),
    accuracyM: 8,
    speedMps,
    timestamp: startAt + s * 1000,
  }));
}

/** A device principal with a fresh id, as {@link devicePrincipalFor} builds it. */
export function testDevice(overrides: Partial<DevicePrincipal> = {}): DevicePrincipal {
  return devicePrincipalFor(uniqueId("dev"), overrides);
}

/**
 * A device principal whose profile exists in the devices table (as after `POST /v1/devices`):
 * decisions and deliveries only happen for registered devices.
 */
export async function registeredDevice(
  overrides: Partial<DevicePrincipal> = {},
): Promise<DevicePrincipal> {
  const principal = testDevice(overrides);
  const nowIso = new Date().toISOString();
  const device: Device = {
    deviceId: principal.deviceId,
    appId: "app_test",
    platform: principal.platform as Device["platform"],
    timeZone: principal.timeZone,
    consent: { location: principal.consentLocation, marketing: principal.consentMarketing },
    segments: [...principal.segments],
    version: 1,
    createdAt: nowIso,
    updatedAt: nowIso,
  };
  await documentClient.send(
    new PutCommand({
      TableName: env("DEVICES_TABLE"),
      Item: { ...deviceKeys.profile(device.deviceId), ...device },
    }),
  );
  return principal;
}

/**
 * A site no other caller of this function shares while the local engines run: the n-th site from
 * an atomic counter in the devices table, on a grid 0.02° of latitude (2.2 km) by 0.03° of
 * longitude (2.4 km) apart in south-west France (Europe/Paris, lat 44–46°, lon 0–3°, clear of the
 * sites tests pick by hand). Every test file runs against the same DynamoDB Local at once, so two
 * stores seeded at random near one point can share a trigger zone: a device of one test then fires
 * another test's offer, which may win the decision (soonest `validTo`) and leave its own untouched.
 */
export async function isolatedSite(): Promise<{ lat: number; lon: number }> {
  const out = await documentClient.send(
    new UpdateCommand({
      TableName: env("DEVICES_TABLE"),
      Key: { pk: "TEST#SITES", sk: "COUNTER" },
      UpdateExpression: "ADD n :one",
      ExpressionAttributeValues: { ":one": 1 },
      ReturnValues: "UPDATED_NEW",
    }),
  );
  const n = Number(out.Attributes?.n) - 1;
  const columns = 100;
  const row = Math.floor(n / columns);
  if (row >= 100) throw new Error("isolatedSite: the 10,000 test sites are used up");
  return { lat: 44 + 0.02 * row, lon: 0.03 * (n % columns) };
}

/**
 * Puts a store and an offer straight into the catalog table and indexes their zones, so decision
 * tests do not depend on the catalog API.
 */
export async function seedStoreAndOffer(options: {
  merchantId?: string;
  location?: { lat: number; lon: number };
  footprintRadiusM?: number;
  triggerRadiusM?: number;
  offer?: Partial<Offer>;
}) {
  const merchantId = options.merchantId ?? uniqueId("m");
  const storeId = uniqueId("st");
  const offerId = uniqueId("of");
  const location = options.location ?? (await isolatedSite());
  const now = new Date().toISOString();
  const footprint = {
    type: "Circle" as const,
    center: location,
    radiusM: options.footprintRadiusM ?? 30,
  };
  const store: Store = {
    merchantId,
    storeId,
    name: "Test store",
    location,
    locationSource: "request" as Store["locationSource"],
    timeZone: "Europe/Paris",
    footprint,
    zoneCells: 0,
    offerIds: [offerId],
    version: 1,
    createdAt: now,
    updatedAt: now,
  } as Store;
  const triggerRadiusM = options.triggerRadiusM ?? 300;
  const offer: Offer = {
    merchantId,
    offerId,
    status: "active",
    name: "Test offer",
    storeIds: [storeId],
    triggerZone: { type: "StoreRadius", radiusM: triggerRadiusM },
    trigger: { on: "enter" },
    message: { title: "10% off", body: "Show this code at the till" },
    // A week back: scenario tests replay clocks up to a day and more in the past.
    validFrom: new Date(Date.now() - 7 * 86_400_000).toISOString(),
    validTo: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    caps: {},
    holdoutPercent: 0,
    attributionWindowHours: 24,
    redemption: { codeKind: "unique", expiresAfterHours: 48 },
    priority: 0,
    triggerRadiusM,
    zoneCells: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...options.offer,
  } as Offer;
  const table = env("CATALOG_TABLE");
  await documentClient.send(
    new PutCommand({
      TableName: table,
      // Stored as the catalog adapter stores it: offer links are a string set.
      Item: {
        ...catalogKeys.store(merchantId, storeId),
        ...store,
        offerIds: new Set(store.offerIds),
      },
    }),
  );
  await documentClient.send(
    new PutCommand({
      TableName: table,
      Item: { ...catalogKeys.offer(merchantId, offerId), ...offer },
    }),
  );
  const index = geoIndexFromConfig({
    GEO_INDEX_TABLE: env("GEO_INDEX_TABLE"),
    CATALOG_TABLE: table,
  });
  await index.putZone({
    zoneId: zoneIds.footprint(storeId),
    kind: "footprint",
    merchantId,
    storeId,
    geometry: encodeZone(footprint),
    characteristicRadiusM: footprint.radiusM,
    dwellSeconds: 120,
  });
  await index.putZone({
    zoneId: zoneIds.trigger(offerId, storeId),
    kind: "trigger",
    merchantId,
    storeId,
    offerId,
    geometry: encodeZone({ type: "Circle", center: location, radiusM: triggerRadiusM }),
    characteristicRadiusM: triggerRadiusM,
    dwellSeconds: 120,
  });
  return { merchantId, storeId, offerId, location, store, offer };
}

/** Indexes a circular store footprint at `site` (no catalog items) and returns its store id. */
export async function indexFootprint(site: { lat: number; lon: number }, radiusM = 40) {
  const storeId = uniqueId("st");
  await geoIndexFromConfig({
    GEO_INDEX_TABLE: env("GEO_INDEX_TABLE"),
    CATALOG_TABLE: env("CATALOG_TABLE"),
  }).putZone({
    zoneId: zoneIds.footprint(storeId),
    kind: "footprint",
    merchantId: uniqueId("m"),
    storeId,
    geometry: encodeZone({ type: "Circle", center: site, radiusM }),
    characteristicRadiusM: radiusM,
    dwellSeconds: 120,
  });
  return storeId;
}

/**
 * An IANA zone whose local time is about 13:00 now, so the platform's quiet hours (21:00–08:00
 * in the device's zone) never decide a test that expects a send, whenever it runs.
 */
export function middayZone(nowMs = Date.now()): string {
  const offset = ((((13 - new Date(nowMs).getUTCHours() + 12) % 24) + 24) % 24) - 12;
  if (offset === 0) return "Etc/UTC";
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}
