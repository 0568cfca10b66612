import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { handler as journeyReport } from "../../../functions/report-store.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { dynamoJourneyStore } from "../../../shared/adapters/dynamo/journey-store.ts";
import type { DevicePrincipal } from "../../../shared/auth/principal.ts";
import { catalogKeys } from "../../../shared/domain/catalog/keys.ts";
import { conversionKeys } from "../../../shared/domain/conversion.ts";
import { localDay } from "../../../shared/domain/decision/local-time.ts";
import { deviceKeys } from "../../../shared/domain/device.ts";
import {
  DEFAULT_JOURNEY_SETTINGS,
  JOURNEY_FIELDS,
  journeyStage,
} from "../../../shared/domain/journey/index.ts";
import type { EnteredEvent } from "../../../shared/domain/visit/types.ts";
import { zoneIds } from "../../../shared/domain/zone.ts";
import { journeyReportRoute } from "../../../shared/http/routes/reports.ts";
import { eraseDevice } from "../../../shared/use-cases/devices.ts";
import { eraseDepsFromEnv } from "../../../shared/wiring/device-deps.ts";
import { zoneEventSinkFromEnv } from "../../../shared/wiring/event-sink-deps.ts";
import { env } from "../../support/aws.ts";
import { contractValidator } from "../../support/contract.ts";
import {
  conversionLog,
  footprintDwell,
  lastAfternoonUtc,
  putItem,
  registeredDevice,
  seedStoreAndOffer,
  storedItem,
} from "../../support/fixtures.ts";
import { bodyOf, httpEvent, lambdaContext, merchantClaims } from "../../support/http-events.ts";

const DAY = 86_400_000;
const sink = zoneEventSinkFromEnv();
const journeys = dynamoJourneyStore(documentClient, env("DEVICES_TABLE"), { now: () => NOW });

/** 14:00 UTC of the latest day begun: outside quiet hours. */
const NOW = lastAfternoonUtc();
/** Day 0 of the scenarios: 80 days before today's afternoon. */
const T0 = NOW - 80 * DAY;
const dayAt = (d: number) => T0 + d * DAY;

/** The device entering the offer's trigger zone around the store, on foot, at `NOW`. */
function triggerEntered(
  seeded: { merchantId: string; storeId: string; offerId: string },
  extra: Partial<EnteredEvent> = {},
): EnteredEvent {
  return {
    type: "entered",
    kind: "trigger",
    zoneId: zoneIds.trigger(seeded.offerId, seeded.storeId),
    merchantId: seeded.merchantId,
    storeId: seeded.storeId,
    offerId: seeded.offerId,
    at: NOW,
    enteredAt: NOW,
    driving: false,
    ...extra,
  };
}

/** A visit on scenario day `day`, `hour` hours after 14:00 UTC (still the same Paris day). */
async function visit(
  device: DevicePrincipal,
  seeded: { merchantId: string; storeId: string },
  day: number,
  hour = 0,
) {
  const at = dayAt(day) + hour * 3_600_000;
  await sink.handle(device, [footprintDwell(seeded, at)], at + 60_000);
}

interface LogItem {
  type: string;
  deviceRef: string;
  stage?: string;
  previousStage?: string;
  localDay: string;
  at: number;
}

const log = (merchantId: string) => conversionLog<LogItem>(merchantId);

/** The journey fields of the store's counters, by local day (zero entries left out). */
async function journeyCounters(merchantId: string, storeId: string) {
  const out = await documentClient.send(
    new QueryCommand({
      TableName: env("CONVERSIONS_TABLE"),
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: {
        ":pk": conversionKeys.storeCounterPartition(merchantId, storeId),
      },
      ConsistentRead: true,
    }),
  );
  const byDay = new Map<string, Record<string, number>>();
  for (const item of out.Items ?? []) {
    const fields: Record<string, number> = {};
    for (const [k, v] of Object.entries(item)) {
      if (k.startsWith("j") && Number(v) !== 0) fields[k] = Number(v);
    }
    if (Object.keys(fields).length > 0) byDay.set(String(item.localDay), fields);
  }
  return byDay;
}

const paris = (d: number) => localDay(dayAt(d), "Europe/Paris");
const contract = contractValidator();

/** `GET /v1/reports/journey` as the merchant's analyst, checked against the OpenAPI document. */
async function report(merchantId: string, query: Record<string, string>) {
  const result = await journeyReport(
    httpEvent({
      path: "/v1/reports/journey",
      query,
      jwtClaims: merchantClaims(merchantId, "marketing-analyst"),
    }),
    lambdaContext,
  );
  expect(result.statusCode).toBe(200);
  expect(contract.checkResponse(journeyReportRoute, result)).toEqual([]);
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body read field by field
  return bodyOf(result) as any;
}

describe("visitor journey over ten weeks (injected clock, DynamoDB Local)", () => {
  it("gives exact stages and transitions at each window boundary", async () => {
    const seeded = await seedStoreAndOffer({});
    const script: Record<string, number[]> = {
      returnsOnDayW: [0, 30], // second visit exactly W = 30 days later: returning
      returnsOnDayW1: [0, 31], // W + 1: starts over as new
      regularInsideD: [0, 10, 29, 73], // k = 3 within D = 30; back on lapse day - 1: no lapse
      regularOutsideD: [0, 10, 30], // the third day is 30 days after the first: returning
      lapsesAndReturns: [0, 1, 2, 47, 47], // lapse day 2 + 45 = 47: lapsed, then won back
      lapsesForGood: [0, 1, 2], // lapsed on day 47, nobody sees it happen
      newOnly: [5],
    };
    const devices = new Map<string, DevicePrincipal>();
    for (const name of Object.keys(script)) devices.set(name, await registeredDevice());
    // Interleaved in time order, as visits arrive.
    const all = Object.entries(script)
      .flatMap(([name, days]) => days.map((d, i) => ({ name, d, i })))
      .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name));
    for (const v of all) {
      await visit(devices.get(v.name) as DevicePrincipal, seeded, v.d, v.i);
    }

    const stagesNow: Record<string, string> = {};
    const histories: Record<string, { visits: number; visitDays: number }> = {};
    for (const [name, device] of devices) {
      const { history } = await journeys.load(device.deviceId, seeded.merchantId);
      stagesNow[name] = journeyStage(history, DEFAULT_JOURNEY_SETTINGS, NOW);
      histories[name] = { visits: history?.visits ?? 0, visitDays: history?.visitDays ?? 0 };
    }
    // Today is day 80.
    expect(stagesNow).toEqual({
      returnsOnDayW: "returning",
      returnsOnDayW1: "new",
      regularInsideD: "returning", // a former regular, last seen day 73: lapses on day 118
      regularOutsideD: "returning",
      lapsesAndReturns: "returning",
      lapsesForGood: "lapsed",
      newOnly: "new",
    });
    expect(histories.lapsesAndReturns).toEqual({ visits: 5, visitDays: 4 });

    // Transitions in the log, per device, in time order.
    const records = await log(seeded.merchantId);
    const stageChanges = records
      .filter((r) => r.type === "stage_changed")
      .sort((a, b) => a.at - b.at)
      .map((r) => ({ ref: r.deviceRef, change: `${r.previousStage}>${r.stage}@${r.localDay}` }));
    const byRef = new Map<string, string[]>();
    for (const c of stageChanges) byRef.set(c.ref, [...(byRef.get(c.ref) ?? []), c.change]);
    const chains = [...byRef.values()].map((c) => c.join(" ")).sort();
    expect(chains).toEqual(
      [
        `prospect>new@${paris(0)} new>returning@${paris(30)}`,
        `prospect>new@${paris(0)}`, // returnsOnDayW1: day 31 changes nothing
        `prospect>new@${paris(0)} new>returning@${paris(10)} returning>regular@${paris(29)} regular>returning@${paris(73)}`,
        `prospect>new@${paris(0)} new>returning@${paris(10)}`,
        `prospect>new@${paris(0)} new>returning@${paris(1)} returning>regular@${paris(2)} regular>lapsed@${paris(47)} lapsed>returning@${paris(47)}`,
        `prospect>new@${paris(0)} new>returning@${paris(1)} returning>regular@${paris(2)}`,
        `prospect>new@${paris(5)}`,
      ].sort(),
    );
    expect(records.filter((r) => r.type === "visited")).toHaveLength(all.length);

    // Counters: exact per day; lapses land on their lapse day, and one was taken back.
    const counters = await journeyCounters(seeded.merchantId, seeded.storeId);
    expect(counters.get(paris(0))).toEqual({
      [JOURNEY_FIELDS.visitDays]: 6,
      [JOURNEY_FIELDS.visitsAs("new")]: 6,
      [JOURNEY_FIELDS.into("new")]: 6,
    });
    expect(counters.get(paris(47))).toEqual({
      [JOURNEY_FIELDS.lapsed]: 2, // both day-2 regulars lapsed on day 47
      [JOURNEY_FIELDS.visitDays]: 1, // the second visit that day did not count again
      [JOURNEY_FIELDS.repeatDays]: 1,
      [JOURNEY_FIELDS.visitsAs("returning")]: 1,
      [JOURNEY_FIELDS.into("returning")]: 1,
      [JOURNEY_FIELDS.gap(45)]: 1,
    });
    // regularInsideD: lapse counted ahead for day 29 + 45 = 74, taken back by the day-73 visit.
    expect(counters.get(paris(74))).toBeUndefined();
    expect(counters.get(paris(73 + 45))).toEqual({ [JOURNEY_FIELDS.lapsed]: 1 });
    expect(counters.get(paris(47 + 45))).toEqual({ [JOURNEY_FIELDS.lapsed]: 1 });
    const lapsedUpToToday = [...counters]
      .filter(([day]) => day <= paris(80))
      .reduce((n, [, f]) => n + (f[JOURNEY_FIELDS.lapsed] ?? 0), 0);
    expect(lapsedUpToToday).toBe(2);

    // The report over days 0..80 adds up exactly the same.
    const body = await report(seeded.merchantId, { from: paris(0), to: paris(80) });
    expect(body.journey).toMatchObject({
      visits: 19,
      repeatVisits: 12,
      visitsByStage: { new: 8, returning: 8, regular: 3 },
      entered: { new: 7, returning: 7, regular: 3, lapsed: 2 },
      lapsed: 2,
      medianDaysBetweenVisits: 14.5, // gaps 1 1 1 1 10 10 19 20 30 31 44 45
    });
    expect(body.journey.repeatVisitRate).toBeCloseTo(12 / 19, 12);
    expect(body.stores).toEqual([{ storeId: seeded.storeId, journey: body.journey }]);
    const one = await report(seeded.merchantId, {
      from: paris(40),
      to: paris(50),
      storeId: seeded.storeId,
    });
    expect(one.journey).toMatchObject({ visits: 1, lapsed: 2, entered: { returning: 1 } });
  });

  it("a replayed visit changes nothing; the history item holds no coordinates and a TTL", async () => {
    const seeded = await seedStoreAndOffer({});
    const device = await registeredDevice();
    const event = footprintDwell(seeded, dayAt(3));
    await sink.handle(device, [event], dayAt(3));
    await sink.handle(device, [event], dayAt(3) + 5_000);
    const item = await storedItem(
      "DEVICES_TABLE",
      deviceKeys.journey(device.deviceId, seeded.merchantId),
    );
    expect(item?.history).toMatchObject({ visits: 1, visitDays: 1, stage: "new" });
    expect(JSON.stringify(item)).not.toMatch(/lat|lon/);
    expect(item?.expiresAt).toBe(Math.ceil((dayAt(3) + 400 * DAY) / 1000));
  });

  it("two visits of one device handled at once both count (the history write retries)", async () => {
    const a = await seedStoreAndOffer({});
    const device = await registeredDevice();
    await Promise.all([visit(device, a, 10), visit(device, a, 11), visit(device, a, 12)]);
    const { history } = await journeys.load(device.deviceId, a.merchantId);
    // Whatever order they committed in, every day counts and the stage read from them is exact.
    expect(history).toMatchObject({ visits: 3, visitDays: 3 });
    expect(journeyStage(history, DEFAULT_JOURNEY_SETTINGS, dayAt(12))).toBe("regular");
  });

  it("erasing the device erases its history at every merchant", async () => {
    const a = await seedStoreAndOffer({});
    const b = await seedStoreAndOffer({});
    const device = await registeredDevice();
    await visit(device, a, 1);
    await visit(device, b, 2);
    expect((await journeys.load(device.deviceId, a.merchantId)).history).toBeDefined();
    expect((await journeys.load(device.deviceId, b.merchantId)).history).toBeDefined();
    await eraseDevice(eraseDepsFromEnv(), device.deviceId);
    const left = await documentClient.send(
      new QueryCommand({
        TableName: env("DEVICES_TABLE"),
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": deviceKeys.partition(device.deviceId) },
        ConsistentRead: true,
      }),
    );
    expect(left.Items).toEqual([]);
    expect((await journeys.load(device.deviceId, a.merchantId)).history).toBeUndefined();
    // A visit handled after erasure (a cached token) writes no history back.
    await expect(visit(device, a, 3)).rejects.toThrow();
    expect((await journeys.load(device.deviceId, a.merchantId)).history).toBeUndefined();
  });

  it("merchant windows apply: k = 2 makes a regular out of two visit days", async () => {
    const seeded = await seedStoreAndOffer({});
    await putItem("CATALOG_TABLE", {
      ...catalogKeys.settings(seeded.merchantId),
      entity: "settings",
      merchantId: seeded.merchantId,
      quietHours: "none",
      journey: { regularVisits: 2 },
      version: 1,
    });
    const device = await registeredDevice();
    await visit(device, seeded, 0);
    await visit(device, seeded, 6);
    const { history } = await journeys.load(device.deviceId, seeded.merchantId);
    expect(history?.stage).toBe("regular");
  });
});

describe("offers targeting journey stages", () => {
  it("win-back offer: sent to a lapsed regular, suppressed (stage) for a new visitor", async () => {
    const seeded = await seedStoreAndOffer({ offer: { audience: { stages: ["lapsed"] } } });
    const lapsed = await registeredDevice();
    for (const d of [0, 1, 2]) await visit(lapsed, seeded, d);
    const fresh = await registeredDevice();
    await visit(fresh, seeded, 79);
    const entered = (device: DevicePrincipal): EnteredEvent =>
      triggerEntered(seeded, { pingId: `p-${device.deviceId}` });
    const sent = await sink.handle(lapsed, [entered(lapsed)], NOW + 1_000);
    expect(sent.incentives).toHaveLength(1);
    const none = await sink.handle(fresh, [entered(fresh)], NOW + 1_000);
    expect(none.incentives).toEqual([]);
    const records = await log(seeded.merchantId);
    const suppressed = records.filter((r) => r.type === "suppressed") as unknown as {
      reason: string;
    }[];
    expect(suppressed.map((r) => r.reason)).toEqual(["stage"]);
  });

  it("the device's own segments cannot claim a stage", async () => {
    const seeded = await seedStoreAndOffer({ offer: { audience: { stages: ["regular"] } } });
    const device = await registeredDevice({ segments: ["regular"], trustedSegments: ["regular"] });
    const out = await sink.handle(device, [triggerEntered(seeded)], NOW + 1_000);
    expect(out.incentives).toEqual([]);
  });
});

describe("repeat visits of an offer: treated vs held out", () => {
  it("counts first vs returning attributed visits and repeat visits within and after the window", async () => {
    const seeded = await seedStoreAndOffer({ offer: { holdoutPercent: 50 } });
    const devices = await Promise.all(Array.from({ length: 12 }, () => registeredDevice()));
    const before = devices.slice(0, 2); // two people had visited before the offer
    for (const d of before) await visit(d, seeded, 70);
    const treated: DevicePrincipal[] = [];
    for (const device of devices) {
      const out = await sink.handle(device, [triggerEntered(seeded)], NOW + 1_000);
      if (out.incentives.length > 0) treated.push(device);
    }
    const nT = treated.length;
    const nH = devices.length - nT;
    expect(nT).toBeGreaterThan(0);
    expect(nH).toBeGreaterThan(0);
    // Everyone visits an hour later (attributed); the treated come back the next day (inside
    // the 24 h window); everyone comes back 5 days after the window.
    const HOUR = 3_600_000;
    const visitAt = (device: DevicePrincipal, at: number) =>
      sink.handle(device, [footprintDwell(seeded, at)], at + 60_000);
    for (const device of devices) await visitAt(device, NOW + HOUR);
    for (const device of treated) await visitAt(device, NOW + 23 * HOUR);
    for (const device of devices) await visitAt(device, NOW + 24 * HOUR + 5 * DAY);
    const body = await report(seeded.merchantId, {
      from: localDay(NOW, "Europe/Paris"),
      to: localDay(NOW + 7 * DAY, "Europe/Paris"),
      offerId: seeded.offerId,
    });
    const returningT = before.filter((d) => treated.includes(d)).length;
    const returningH = before.length - returningT;
    expect(body.offer.attributedVisits).toEqual({
      treated: { first: nT - returningT, returning: returningT },
      holdout: { first: nH - returningH, returning: returningH },
    });
    expect(body.offer.repeatWithinWindow.treated).toEqual({ n: nT, repeaters: nT });
    expect(body.offer.repeatWithinWindow.holdout).toEqual({ n: nH, repeaters: 0 });
    expect(body.offer.repeatWithinWindow.lift.absoluteLift).toBe(1);
    expect(body.offer.repeatAfterWindow.treated).toEqual({ n: nT, repeaters: nT });
    expect(body.offer.repeatAfterWindow.holdout).toEqual({ n: nH, repeaters: nH });
    expect(body.offer.repeatAfterWindow.lift.absoluteLift).toBe(0);
  });
});
