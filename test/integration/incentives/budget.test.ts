import { describe, expect, it } from "vitest";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { readBudgetUse } from "../../../shared/adapters/dynamo/budget-counter.ts";
import { localDay } from "../../../shared/domain/decision/local-time.ts";
import { ingestPings } from "../../../shared/use-cases/pings/ingest-pings.ts";
import { zoneEventSinkFromEnv } from "../../../shared/wiring/event-sink-deps.ts";
import { pingDepsFromEnv } from "../../../shared/wiring/ping-deps.ts";
import { env } from "../../support/aws.ts";
import {
  offerCounters,
  offset,
  registeredDevice,
  seedStoreAndOffer,
} from "../../support/fixtures.ts";

const deps = pingDepsFromEnv(zoneEventSinkFromEnv());

/** A midday instant in Paris so quiet hours never interfere. */
function parisNoon(): number {
  const d = new Date();
  d.setUTCHours(11, 0, 0, 0);
  return d.getTime() > Date.now() ? d.getTime() - 86_400_000 : d.getTime();
}

describe("budget and idempotency under concurrency", () => {
  it("sends exactly maxIncentives to 200 eligible devices, suppressing the rest as budget", async () => {
    const { merchantId, offerId, storeId, location } = await seedStoreAndOffer({
      offer: { budget: { maxIncentives: 50 } },
    });
    const now = parisNoon();
    const clocked = { ...deps, clock: { now: () => now } };
    const point = offset(location, 100, 0);
    const devices = await Promise.all(Array.from({ length: 200 }, () => registeredDevice()));
    const results = await Promise.all(
      devices.map((device) =>
        ingestPings(clocked, device, [
          { ...point, accuracyM: 10, timestamp: now - 1000, speedMps: 1 },
        ]),
      ),
    );
    const granted = results.flatMap((r) => r.incentives);
    expect(granted).toHaveLength(50);
    const budget = await readBudgetUse(documentClient, env("INCENTIVES_TABLE"), [offerId], {
      consistent: true,
    });
    expect(budget.get(offerId)?.total).toBe(50);
    const counters = await offerCounters(
      merchantId,
      offerId,
      storeId,
      localDay(now, "Europe/Paris"),
    );
    expect(counters).toMatchObject({
      triggered: 200,
      sent: 50,
      suppressed: 150,
      suppressed_budget: 150,
    });
  });

  it("grants one incentive when one device posts the same trigger 20 times in parallel", async () => {
    const { offerId, location } = await seedStoreAndOffer({});
    const now = parisNoon();
    const clocked = { ...deps, clock: { now: () => now } };
    const device = await registeredDevice();
    const ping = { ...offset(location, 50, 0), accuracyM: 10, timestamp: now - 1000, id: "p1" };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ingestPings(clocked, device, [ping])),
    );
    const ids = new Set(
      results.flatMap((r) => r.incentives.map((i) => (i as { incentiveId: string }).incentiveId)),
    );
    expect(ids.size).toBe(1);
    const budget = await readBudgetUse(documentClient, env("INCENTIVES_TABLE"), [offerId], {
      consistent: true,
    });
    expect(budget.get(offerId)?.total).toBe(1);
  });
});
