import { describe, expect, it } from "vitest";
import { ingestPings } from "../../../shared/use-cases/pings/ingest-pings.ts";
import { zoneEventSinkFromEnv } from "../../../shared/wiring/event-sink-deps.ts";
import { pingDepsFromEnv } from "../../../shared/wiring/ping-deps.ts";
import {
  conversionLog,
  inStorePings,
  lastAfternoonUtc,
  offset,
  registeredDevice,
  seedStoreAndOffer,
} from "../../support/fixtures.ts";

const HOUR = 3_600_000;
const sink = zoneEventSinkFromEnv();

function depsAt(now: number) {
  return { ...pingDepsFromEnv(sink), clock: { now: () => now } };
}

const log = (merchantId: string) =>
  conversionLog<{ type: string; reason?: string; at: number; incentiveId?: string }>(merchantId);

/** Three slow pings in the store (footprint and trigger zone), `startAt` onwards, 70 s apart. */
function visitPings(location: { lat: number; lon: number }, startAt: number) {
  return inStorePings(location, startAt, 3, 0.4);
}

describe("freshness limit: late batches never get an incentive, but their visits count", () => {
  it.each([
    ["3 h", 3 * HOUR],
    ["20 h", 20 * HOUR],
  ])(
    "a batch %s old is logged as suppressed (stale_event): no incentive, no code",
    async (_, age) => {
      const seeded = await seedStoreAndOffer({
        offer: { redemption: { codeKind: "unique", expiresAfterHours: 2 } },
      });
      const now = lastAfternoonUtc();
      const result = await ingestPings(
        depsAt(now),
        await registeredDevice(),
        visitPings(seeded.location, now - age),
      );
      expect(result.events.map((e) => `${e.kind}:${e.type}`)).toContain("trigger:entered");
      expect(result.incentives).toEqual([]);
      const records = await log(seeded.merchantId);
      expect(records.filter((r) => r.type === "sent" || r.type === "held_out")).toEqual([]);
      expect(records.filter((r) => r.type === "suppressed").map((r) => r.reason)).toEqual([
        "stale_event",
      ]);
      // The visit happened: it is in the log, dated when it happened.
      const visits = records.filter((r) => r.type === "visited");
      expect(visits).toHaveLength(1);
      expect(visits[0]?.at).toBeLessThan(now - age + 5 * 60_000);
    },
  );

  it("a per-offer limit of 4 h lets the 3 h old batch through; the code then expires from the moment of sending", async () => {
    const seeded = await seedStoreAndOffer({
      offer: {
        trigger: { on: "enter", freshnessMinutes: 240 },
        redemption: { codeKind: "unique", expiresAfterHours: 2 },
      },
    });
    const now = lastAfternoonUtc();
    const result = await ingestPings(
      depsAt(now),
      await registeredDevice(),
      visitPings(seeded.location, now - 3 * HOUR),
    );
    const incentives = result.incentives as { expiresAt: string }[];
    expect(incentives).toHaveLength(1);
    // Two hours from the decision (the send), not from the event three hours ago.
    expect(Date.parse(incentives[0]?.expiresAt ?? "")).toBe(now + 2 * HOUR);
  });

  it("visits from a late batch are still attributed to the incentive that preceded them", async () => {
    const seeded = await seedStoreAndOffer({
      offer: { redemption: { codeKind: "unique", expiresAfterHours: 24 } },
    });
    const device = await registeredDevice();
    const t0 = lastAfternoonUtc() - 6 * HOUR;
    // Fresh entry into the trigger zone (300 m) but not the shop: an incentive is sent at once.
    const approach = await ingestPings(depsAt(t0), device, [
      { ...offset(seeded.location, 200, 0), accuracyM: 10, speedMps: 1, timestamp: t0 - 1000 },
    ]);
    expect(approach.incentives).toHaveLength(1);
    // The visit one hour later reaches the server only three hours after that (phone offline).
    const late = await ingestPings(
      depsAt(t0 + 4 * HOUR),
      device,
      visitPings(seeded.location, t0 + HOUR),
    );
    expect(late.incentives).toEqual([]);
    const records = await log(seeded.merchantId);
    const attributed = records.filter((r) => r.type === "attributed_visit");
    expect(attributed).toHaveLength(1);
    expect(attributed[0]?.at).toBeLessThan(t0 + HOUR + 5 * 60_000);
  });
});
