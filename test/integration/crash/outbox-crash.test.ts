import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FUNCTION_SPECS } from "../../../infra/function-specs.ts";
import { type LocalSchedule, startSchedules } from "../../../scripts/local/scheduler.ts";
import type { DevicePrincipal } from "../../../shared/auth/principal.ts";
import { NO_OFFER } from "../../../shared/domain/conversion.ts";
import { localDay } from "../../../shared/domain/decision/local-time.ts";
import { deviceKeys } from "../../../shared/domain/device.ts";
import { ingestPings } from "../../../shared/use-cases/pings/ingest-pings.ts";
import { zoneEventSinkFromEnv } from "../../../shared/wiring/event-sink-deps.ts";
import { pingDepsFromEnv } from "../../../shared/wiring/ping-deps.ts";
import {
  offerCounters,
  offset,
  registeredDevice,
  seedStoreAndOffer,
  storedItem,
} from "../../support/fixtures.ts";
import { isolatedTables, overrideEnv } from "../delivery/messaging.ts";

const DEVICES = 24;
const ROOT = join(import.meta.dirname, "..", "..", "..");
let restoreEnv: () => void;
let schedules: LocalSchedule | undefined;

beforeAll(async () => {
  restoreEnv = overrideEnv(await isolatedTables());
});
afterAll(async () => {
  await schedules?.stop();
  restoreEnv?.();
});

/** Runs the child and resolves with the signal that ended it. */
function runChild(arg: object): Promise<NodeJS.Signals | null> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "test/integration/crash/ingest-child.ts"), JSON.stringify(arg)],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: process.env },
  );
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? (code === 0 ? null : (`exit ${code}` as NodeJS.Signals)));
    });
  });
}

async function pendingOf(deviceId: string): Promise<number> {
  const out = await storedItem("DEVICES_TABLE", deviceKeys.visits(deviceId));
  return ((out?.pending as unknown[] | undefined) ?? []).length;
}

async function counters(merchantId: string, offerId: string, storeId: string, day: string) {
  return (await offerCounters(merchantId, offerId, storeId, day)) ?? {};
}

describe("kill -9 between the state save and the hand-off", () => {
  it("every saved event is decided exactly once after a restart, whether the device pings again or not", async () => {
    const seeded = await seedStoreAndOffer({ offer: { holdoutPercent: 0 } });
    const devices: DevicePrincipal[] = await Promise.all(
      Array.from({ length: DEVICES }, () => registeredDevice()),
    );
    const now = Date.now();
    // 3 pings inside the shop, then 2 clearly outside both zones (600 m, 700 m: walking pace).
    const pings = [
      ...[-200, -130, -60].map((s, i) => ({
        ...offset(seeded.location, 2 * i, 0),
        accuracyM: 8,
        speedMps: 0.3,
        timestamp: now + s * 1000,
      })),
      { ...offset(seeded.location, 600, 0), accuracyM: 10, timestamp: now - 30_000 },
      { ...offset(seeded.location, 700, 0), accuracyM: 10, timestamp: now - 20_000 },
    ];
    const signal = await runChild({ batches: devices.map((device) => ({ device, pings })) });
    expect(signal).toBe("SIGKILL");

    const stranded = await Promise.all(devices.map((d) => pendingOf(d.deviceId)));
    // Entered and dwelled in both zones, exited both: 6 events saved per device, none handed on.
    expect(stranded).toEqual(Array(DEVICES).fill(6));
    const day = localDay(now, "Europe/Paris");
    expect(await counters(seeded.merchantId, seeded.offerId, seeded.storeId, day)).toEqual({});

    // Restart: the runner's schedules (the sweeper) and the devices' next pings, which find them
    // far away (a third), near the shop (a third) or never come (a third).
    const restartedAt = Date.now();
    const sweeps: string[] = [];
    schedules = await startSchedules({
      onResult: (_, r) => {
        const { devices: n, handedOn } = r as { devices: number; handedOn: number };
        if (n > 0) sweeps.push(`+${Date.now() - restartedAt} ms: ${n} devices, ${handedOn} events`);
      },
    });
    const sink = zoneEventSinkFromEnv();
    const deps = pingDepsFromEnv(sink);
    await Promise.all(
      devices.map((device, i) => {
        if (i % 3 === 2) return undefined;
        const where = i % 3 === 0 ? 20_000 : 5;
        return ingestPings(deps, device, [
          {
            ...offset(seeded.location, where, 0),
            accuracyM: 10,
            speedMps: 0.5,
            timestamp: Date.now(),
          },
        ]);
      }),
    );
    let left = stranded.reduce((a, b) => a + b, 0);
    let drainMs = 0;
    while (left > 0) {
      expect(Date.now() - restartedAt, "drain time").toBeLessThan(60_000);
      await new Promise((r) => setTimeout(r, 250));
      left = (await Promise.all(devices.map((d) => pendingOf(d.deviceId)))).reduce(
        (a, b) => a + b,
        0,
      );
      drainMs = Date.now() - restartedAt;
    }
    await schedules.stop();
    schedules = undefined;
    // The bound: outbox grace (10 s) + local sweep interval (5 s) + the sweep itself (seconds on
    // an idle machine; the limit leaves room for a loaded CI runner).
    console.info(
      `outbox crash: ${DEVICES * 6} events stranded, 0 left, drained in ${drainMs} ms; sweeps: ${sweeps.join("; ")}`,
    );
    expect(drainMs).toBeLessThan(60_000);

    // One decision per trigger event, one visit per dwell: counters move once per decision.
    const offer = await counters(seeded.merchantId, seeded.offerId, seeded.storeId, day);
    const decided =
      Number(offer.sent ?? 0) + Number(offer.held_out ?? 0) + Number(offer.suppressed ?? 0);
    expect(offer.triggered).toBe(DEVICES);
    expect(decided).toBe(DEVICES);
    const visits = await counters(seeded.merchantId, NO_OFFER, seeded.storeId, day);
    expect(visits.visits).toBe(DEVICES);
    expect(FUNCTION_SPECS["visit-sweeper"]?.trigger).toMatchObject({ kind: "schedule" });
  }, 120_000);
});
