import { describe, expect, it } from "vitest";
import { pickupKeys } from "../../../shared/domain/pickup/keys.ts";
import { localDay } from "../../../shared/domain/reports/pickup-metrics.ts";
import { NotFoundError } from "../../../shared/errors.ts";
import {
  createPickup,
  getPickup,
  staffUpdatePickup,
} from "../../../shared/use-cases/pickups/pickups.ts";
import { getPickupReport } from "../../../shared/use-cases/reports/pickup-report.ts";
import { pickupReportDepsFromEnv } from "../../../shared/wiring/pickup-report-deps.ts";
import { storedItem } from "../../support/fixtures.ts";
import { scriptStart } from "../../support/pings.ts";
import { carApproach, merchant, pickupScene } from "./world.ts";

/** Two hours ago, on a minute: every scripted ping lies within the accepted window. */
const T0 = scriptStart(2);

describe("pickup metrics on the local engines", () => {
  it("a store's day: wait time, estimate error and on-time share from the ended pickups", async () => {
    const { principal, seeded, world, device } = await pickupScene(T0);

    // A car from 3 km at 12 m/s: arrives, the order is made ready, completed 4 minutes later.
    const trip = carApproach(seeded.location, 3000, T0);
    const { created: car, view: arrivedView } = await world.pickupAfter(
      principal,
      seeded.storeId,
      device,
      trip,
    );
    const arrivedAt = Date.parse(arrivedView.times.arrived ?? "");
    world.clock.set(arrivedAt + 60_000);
    await staffUpdatePickup(world.deps, principal, car.pickupId, "ready");
    world.clock.set(arrivedAt + 240_000);
    await staffUpdatePickup(world.deps, principal, car.pickupId, "complete");
    const item = await storedItem(
      "INCENTIVES_TABLE",
      pickupKeys.pickup(principal.merchantId, car.pickupId),
    );
    const predicted = Number(item?.nearbyEstimateAt);
    expect(item?.trip).toBeUndefined();

    // A cancelled order, and one nobody collects (no-show once 2 h past its promised time).
    const cancelled = await createPickup(world.deps, principal, {
      storeId: seeded.storeId,
      orderRef: "cancel-me",
      promisedAt: new Date(T0 + 30 * 60_000).toISOString(),
      mode: "in_store",
    });
    await staffUpdatePickup(world.deps, principal, cancelled.pickupId, "cancel");
    const forgotten = await createPickup(world.deps, principal, {
      storeId: seeded.storeId,
      orderRef: "never-came",
      promisedAt: new Date(T0 - 60_000).toISOString(),
      mode: "in_store",
    });
    world.clock.set(T0 + 2 * 3_600_000);
    expect((await getPickup(world.deps, principal, forgotten.pickupId)).state).toBe("no_show");

    const reportDeps = { ...pickupReportDepsFromEnv(), clock: world.clock };
    const days = [car.promisedAt, cancelled.promisedAt, forgotten.promisedAt].map((iso) =>
      localDay(Date.parse(iso), "Europe/Paris"),
    );
    const sorted = [...days].sort();
    const from = sorted[0] as string;
    const to = sorted.at(-1) as string;
    const report = await getPickupReport(reportDeps, principal, seeded.storeId, { from, to });
    expect(report.totals).toMatchObject({
      pickups: 3,
      completed: 1,
      autoCompleted: 0,
      cancelled: 1,
      noShow: 1,
      arrived: 1,
      manualArrivals: 0,
      waitTime: { count: 1, medianSeconds: 240 },
      estimateError: { count: 1, meanSeconds: Math.round((arrivedAt - predicted) / 100) / 10 },
      onTime: { of: 1, count: 1, share: 1 },
      readyOnArrival: { of: 1, count: 0, share: 0 },
    });
    expect(report.rows.reduce((n, r) => n + r.pickups, 0)).toBe(3);
    console.info(
      `pickup metrics, car 12 m/s from 3 km: estimate error ${report.totals.estimateError.meanSeconds} s`,
    );

    // Another merchant cannot read this store's report.
    await expect(
      getPickupReport(reportDeps, merchant(), seeded.storeId, { from, to }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
