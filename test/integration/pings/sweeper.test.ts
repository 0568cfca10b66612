import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { conversionKeys, NO_OFFER } from "../../../shared/domain/conversion.ts";
import { localDay } from "../../../shared/domain/decision/local-time.ts";
import { deviceKeys } from "../../../shared/domain/device.ts";
import type { ExitedEvent } from "../../../shared/domain/visit/types.ts";
import { type IngestDeps, ingestPings } from "../../../shared/use-cases/pings/ingest-pings.ts";
import { sweepDueVisits } from "../../../shared/use-cases/pings/sweep-visits.ts";
import { zoneEventSinkFromEnv } from "../../../shared/wiring/event-sink-deps.ts";
import { pingDepsFromEnv } from "../../../shared/wiring/ping-deps.ts";
import { sweepDepsFromEnv } from "../../../shared/wiring/sweep-deps.ts";
import { env } from "../../support/aws.ts";
import {
  inStorePings,
  lastAfternoonUtc,
  offset,
  registeredDevice,
  seedStoreAndOffer,
  storedItem,
} from "../../support/fixtures.ts";
import { isolatedTables, overrideEnv } from "../delivery/messaging.ts";

let restoreEnv: () => void;
let pingDeps: IngestDeps;
let sink: ReturnType<typeof zoneEventSinkFromEnv>;

beforeAll(async () => {
  // Own tables: the sweep reads the whole due index, so other files' devices must not be in it.
  restoreEnv = overrideEnv(await isolatedTables());
  sink = zoneEventSinkFromEnv();
  pingDeps = pingDepsFromEnv(sink);
});
afterAll(() => restoreEnv?.());

const ingestAt = (now: number) => ({ ...pingDeps, clock: { now: () => now } });
const sweepAt = (now: number, onExit?: (e: ExitedEvent) => void) =>
  sweepDueVisits({
    ...sweepDepsFromEnv(sink),
    clock: { now: () => now },
    ...(onExit ? { onExit } : {}),
  });

function inStore(location: { lat: number; lon: number }, startAt: number) {
  return inStorePings(location, startAt, 2, 0.3);
}

/** Visits the device's stored visit state holds open. */
async function openVisits(deviceId: string): Promise<number> {
  const item = (await storedItem("DEVICES_TABLE", deviceKeys.visits(deviceId))) as
    | { state?: { zones?: unknown[] } }
    | undefined;
  return item?.state?.zones?.length ?? 0;
}

async function counters(merchantId: string, offerId: string, storeId: string, at: number) {
  return (
    (await storedItem(
      "CONVERSIONS_TABLE",
      conversionKeys.offerCounters(merchantId, offerId, storeId, localDay(at, "Europe/Paris")),
    )) ?? {}
  );
}

describe("the visit sweeper", () => {
  it("closes the visits of devices gone silent in a zone, and reads only the due devices", async () => {
    const seeded = await seedStoreAndOffer({});
    const t0 = lastAfternoonUtc() - 2 * 3_600_000;
    const silent = await Promise.all([1, 2, 3].map(() => registeredDevice()));
    await Promise.all(
      silent.map((d) => ingestPings(ingestAt(t0 + 150_000), d, inStore(seeded.location, t0))),
    );
    // Still inside, seen later: open visits that are not due yet.
    const active = await Promise.all([1, 2, 3, 4, 5].map(() => registeredDevice()));
    for (const device of active) {
      await ingestPings(ingestAt(t0 + 2_010_000), device, inStore(seeded.location, t0 + 1_860_000));
    }
    // Far from any zone: no visit state at all.
    const idle = await Promise.all(Array.from({ length: 10 }, () => registeredDevice()));
    await Promise.all(
      idle.map((d) =>
        ingestPings(ingestAt(t0), d, [
          { ...offset(seeded.location, 20_000, 0), accuracyM: 10, timestamp: t0 - 1000 },
        ]),
      ),
    );
    for (const device of silent) expect(await openVisits(device.deviceId)).toBe(2);

    const exits: ExitedEvent[] = [];
    // 900 s (exit timeout) after the last inside ping at t0 + 140 s.
    const sweep = await sweepAt(t0 + 140_000 + 900_000, (e) => exits.push(e));
    expect(sweep).toMatchObject({ devices: 3, exits: 6, conflicts: 0, discarded: 0 });
    // Three due-index entries, then the visit item and the profile of each due device.
    expect(sweep.itemsRead).toBe(3 + 3 * 2);
    expect(exits.map((e) => e.reason)).toEqual(Array(6).fill("timeout"));
    expect(new Set(exits.map((e) => e.at))).toEqual(new Set([t0 + 140_000]));
    for (const device of silent) expect(await openVisits(device.deviceId)).toBe(0);
    for (const device of active) expect(await openVisits(device.deviceId)).toBe(2);

    // Nothing is due any more until the active devices time out.
    expect(await sweepAt(t0 + 140_000 + 900_000)).toMatchObject({ itemsRead: 0, devices: 0 });
    const later = await sweepAt(t0 + 1_860_000 + 140_000 + 900_000);
    expect(later).toMatchObject({ devices: 5, exits: 10, itemsRead: 5 + 5 * 2 });

    // Visits were logged once, by the pings (the sweep's exits decide nothing new).
    const visits = await counters(seeded.merchantId, NO_OFFER, seeded.storeId, t0);
    expect(visits.visits).toBe(8);
  }, 90_000);

  it("hands on an outbox a crash left behind, even if the device never pings again; one decision per event", async () => {
    const seeded = await seedStoreAndOffer({});
    const now = lastAfternoonUtc();
    const device = await registeredDevice();
    // The process dies right after saving state and outbox, before the hand-off.
    const crashing: IngestDeps = {
      ...ingestAt(now),
      visits: {
        ...pingDeps.visits,
        async save(...args) {
          const version = await pingDeps.visits.save(...args);
          if (args[1].pending.length > 0) throw new Error("process killed");
          return version;
        },
      },
    };
    await expect(
      ingestPings(crashing, device, inStore(seeded.location, now - 150_000)),
    ).rejects.toThrow("process killed");
    const before = await counters(seeded.merchantId, seeded.offerId, seeded.storeId, now);
    expect(before.triggered).toBeUndefined();

    // Within the outbox grace nothing is due (the batch itself would have handed it on).
    expect((await sweepAt(now + 1_000)).devices).toBe(0);
    const sweep = await sweepAt(now + 11_000);
    expect(sweep).toMatchObject({ devices: 1, handedOn: 4 });
    // The device pings again near the zone, and the sweep runs again: nothing is decided twice.
    await ingestPings(ingestAt(now + 12_000), device, [
      { ...offset(seeded.location, 1, 1), accuracyM: 8, speedMps: 0.2, timestamp: now + 11_000 },
    ]);
    await sweepAt(now + 30_000);
    const after = await counters(seeded.merchantId, seeded.offerId, seeded.storeId, now);
    expect(after).toMatchObject({ triggered: 1, sent: 1 });
    const visits = await counters(seeded.merchantId, NO_OFFER, seeded.storeId, now);
    expect(visits.visits).toBe(1);
  });

  it("an erased device's visit item is dropped by the sweep", async () => {
    const seeded = await seedStoreAndOffer({});
    const now = lastAfternoonUtc();
    const device = await registeredDevice();
    await ingestPings(ingestAt(now), device, inStore(seeded.location, now - 150_000));
    const { DeleteCommand } = await import("@aws-sdk/lib-dynamodb");
    await documentClient.send(
      new DeleteCommand({
        TableName: env("DEVICES_TABLE"),
        Key: deviceKeys.profile(device.deviceId),
      }),
    );
    const sweep = await sweepAt(now + 3_600_000);
    expect(sweep.discarded).toBe(1);
    const visit = await documentClient.send(
      new GetCommand({ TableName: env("DEVICES_TABLE"), Key: deviceKeys.visits(device.deviceId) }),
    );
    expect(visit.Item).toBeUndefined();
  });
});
