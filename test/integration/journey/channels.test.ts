/**
 * Journey figures per channel and variant (DynamoDB Local, injected clocks): claims and in-app
 * exposures of links and geofence sends, six days back, randomized against the offer's holdout;
 * first visits and repeat visits within the attribution window and in the 30 days after it; the
 * channel report (`GET /v1/reports/offers/{id}/channels` and `/v1/reports/channels`) checked
 * figure by figure against an independent count of the simulated events.
 */
import { describe, expect, it } from "vitest";
import { handler as channelReport } from "../../../functions/report-channels.ts";
import { handler as journeyReport } from "../../../functions/report-store.ts";
import type { DevicePrincipal } from "../../../shared/auth/principal.ts";
import { localDay } from "../../../shared/domain/decision/local-time.ts";
import { twoProportionLift } from "../../../shared/domain/stats/lift.ts";
import { zoneIds } from "../../../shared/domain/zone.ts";
import {
  channelReportRoute,
  offerChannelReportRoute,
} from "../../../shared/http/routes/channel-reports.ts";
import { journeyReportRoute } from "../../../shared/http/routes/reports.ts";
import { claimLink, exposeLink } from "../../../shared/use-cases/o2o/claims.ts";
import { createLink } from "../../../shared/use-cases/o2o/links.ts";
import { zoneEventSinkFromEnv } from "../../../shared/wiring/event-sink-deps.ts";
import { claimDepsFromEnv, linkDepsFromEnv } from "../../../shared/wiring/o2o-deps.ts";
import { contractValidator } from "../../support/contract.ts";
import {
  footprintDwell,
  lastAfternoonUtc,
  registeredDevice,
  seedStoreAndOffer,
} from "../../support/fixtures.ts";
import { bodyOf, httpEvent, lambdaContext, merchantClaims } from "../../support/http-events.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const WINDOW_HOURS = 72;
const sink = zoneEventSinkFromEnv();
const contract = contractValidator();

/** 14:00 UTC of the latest day begun: outside quiet hours. */
const NOW = lastAfternoonUtc();
/** The touches: six days back, so every visit of the scenario lies in the past. */
const T = NOW - 6 * DAY;
const paris = (at: number) => localDay(at, "Europe/Paris");

type Group = "treated" | "holdout";
interface Person {
  device: DevicePrincipal;
  channel: string;
  variant: string;
  group: Group;
  visitedBefore: boolean;
  visits: boolean;
  repeatInWindow: boolean;
  repeatAfter: boolean;
}

async function report(merchantId: string, offerId: string | null) {
  const path = offerId ? `/v1/reports/offers/${offerId}/channels` : "/v1/reports/channels";
  const result = await channelReport(
    httpEvent({
      path,
      ...(offerId ? { pathParameters: { offerId } } : {}),
      query: { from: paris(T - 4 * DAY), to: paris(NOW) },
      jwtClaims: merchantClaims(merchantId, "marketing-analyst"),
    }),
    lambdaContext,
  );
  expect(result.statusCode).toBe(200);
  const route = offerId ? offerChannelReportRoute : channelReportRoute;
  expect(contract.checkResponse(route, result)).toEqual([]);
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body read field by field
  return bodyOf(result) as any;
}

/** The journey figures of a set of people, counted from the script (not from the service). */
function expected(people: readonly Person[]) {
  const of = (g: Group) => people.filter((p) => p.group === g);
  const firstReturning = (g: Group) => ({
    first: of(g).filter((p) => p.visits && !p.visitedBefore).length,
    returning: of(g).filter((p) => p.visits && p.visitedBefore).length,
  });
  const repeat = (key: "repeatInWindow" | "repeatAfter") => ({
    treated: { n: of("treated").length, repeaters: of("treated").filter((p) => p[key]).length },
    holdout: { n: of("holdout").length, repeaters: of("holdout").filter((p) => p[key]).length },
  });
  return {
    attributedVisits: { treated: firstReturning("treated"), holdout: firstReturning("holdout") },
    repeatWithinWindow: repeat("repeatInWindow"),
    repeatAfterWindow: repeat("repeatAfter"),
  };
}

function expectJourney(actual: unknown, people: readonly Person[]) {
  const want = expected(people);
  const got = actual as {
    attributedVisits: unknown;
    repeatWithinWindow: {
      treated: unknown;
      holdout: unknown;
      lift: { absoluteLift: number | null; absoluteCi: [number, number] | null };
    };
    repeatAfterWindow: {
      treated: unknown;
      holdout: unknown;
      lift: { absoluteLift: number | null; absoluteCi: [number, number] | null };
    };
  };
  expect(got.attributedVisits).toEqual(want.attributedVisits);
  for (const key of ["repeatWithinWindow", "repeatAfterWindow"] as const) {
    expect(got[key].treated).toEqual(want[key].treated);
    expect(got[key].holdout).toEqual(want[key].holdout);
    const lift = twoProportionLift({
      treated: { n: want[key].treated.n, visits: want[key].treated.repeaters },
      holdout: { n: want[key].holdout.n, visits: want[key].holdout.repeaters },
    });
    expect(got[key].lift.absoluteLift).toEqual(lift.absoluteLift);
    expect(got[key].lift.absoluteCi).toEqual(lift.absoluteCi);
  }
}

describe("journey figures per channel and variant", () => {
  it("first vs returning visits and repeat-visit lift per channel equal an independent count", async () => {
    const seeded = await seedStoreAndOffer({
      offer: {
        holdoutPercent: 50,
        attributionWindowHours: WINDOW_HOURS,
        validFrom: new Date(NOW - 20 * DAY).toISOString(),
        quietHours: "none",
      } as never,
    });
    const { merchantId, storeId, offerId } = seeded;
    const admin = { merchantId, subject: "admin", roles: ["merchant-admin" as const] };
    const linkDeps = linkDepsFromEnv();
    const links = [];
    for (const [channel, variant] of [
      ["email", "A"],
      ["email", "B"],
      ["in-app", "banner"],
    ] as const) {
      const link = await createLink(linkDeps, admin, offerId, { channel, variant });
      links.push({ token: link.token, channel, variant });
    }
    // Touches at T (injected clock): each person claims, is exposed to, or is sent one touch.
    const claimDeps = { ...claimDepsFromEnv(), clock: { now: () => T } };
    const people: Person[] = [];
    const N = 60;
    for (let i = 0; i < N; i++) {
      const device = await registeredDevice();
      // A fixed pattern per index: who visited before, who visits, who comes back when.
      const visitedBefore = i % 5 === 0;
      const visits = i % 4 !== 3;
      const base = { device, visitedBefore, visits };
      if (visitedBefore) {
        const at = T - 3 * DAY;
        await sink.handle(device, [footprintDwell(seeded, at)], at + 60_000);
      }
      let touch: { channel: string; variant: string; group: Group };
      if (i % 4 === 0) {
        const out = await sink.handle(
          device,
          [
            {
              type: "entered",
              kind: "trigger",
              zoneId: zoneIds.trigger(offerId, storeId),
              merchantId,
              storeId,
              offerId,
              at: T,
              enteredAt: T,
              driving: false,
            },
          ],
          T + 1_000,
        );
        touch = {
          channel: "geofence",
          variant: "default",
          group: out.incentives.length > 0 ? "treated" : "holdout",
        };
      } else {
        const link = links[i % links.length] as (typeof links)[number];
        if (link.channel === "in-app") {
          const out = await exposeLink(claimDeps, device, { token: link.token });
          touch = { ...link, group: out.show ? "treated" : "holdout" };
        } else {
          const out = await claimLink(claimDeps, device, { token: link.token });
          expect(["granted", "held_out"]).toContain(out.outcome);
          touch = { ...link, group: out.outcome === "granted" ? "treated" : "holdout" };
        }
      }
      // The built-in effect: treated people come back more often.
      const treated = touch.group === "treated";
      people.push({
        ...base,
        channel: touch.channel,
        variant: touch.variant,
        group: touch.group,
        repeatInWindow: visits && (treated ? i % 3 !== 0 : i % 3 === 0 && i % 2 === 0),
        repeatAfter: visits && (treated ? i % 2 === 0 : i % 7 === 0),
      });
    }
    // Visits: an hour after the touch (attributed), the next Paris day (within the 72 h window),
    // and two days after the window closed (within the 30 days after it).
    for (const p of people) {
      if (!p.visits) continue;
      for (const [flag, at] of [
        [true, T + HOUR],
        [p.repeatInWindow, T + 23 * HOUR],
        [p.repeatAfter, T + WINDOW_HOURS * HOUR + 2 * DAY],
      ] as const) {
        if (flag) await sink.handle(p.device, [footprintDwell(seeded, at)], at + 60_000);
      }
    }
    for (const g of ["treated", "holdout"] as const) {
      expect(people.filter((p) => p.group === g).length).toBeGreaterThan(0);
    }

    const offerReport = await report(merchantId, offerId);
    const across = await report(merchantId, null);
    const channels = [...new Set(people.map((p) => p.channel))];
    expect(channels.sort()).toEqual(["email", "geofence", "in-app"]);
    for (const row of offerReport.rows) {
      const mine = people.filter((p) => p.channel === row.channel && p.variant === row.variant);
      expect(mine.length).toBeGreaterThan(0);
      expectJourney(row.journey, mine);
    }
    expect(offerReport.rows).toHaveLength(4);
    for (const channel of channels) {
      const mine = people.filter((p) => p.channel === channel);
      expectJourney(
        offerReport.channels.find((c: { channel: string }) => c.channel === channel)?.journey,
        mine,
      );
      expectJourney(
        across.acrossOffers.find((c: { channel: string }) => c.channel === channel)?.journey,
        mine,
      );
    }
    for (const variant of ["A", "B", "banner", "default"]) {
      expectJourney(
        offerReport.variants.find((v: { variant: string }) => v.variant === variant)?.journey,
        people.filter((p) => p.variant === variant),
      );
    }
    expectJourney(offerReport.totals.journey, people);
    expectJourney(across.totals.journey, people);
    // Geofence sends are the offer's own sends: their channel row is the journey report's offer.
    const journey = await journeyReport(
      httpEvent({
        path: "/v1/reports/journey",
        query: { from: paris(T - 4 * DAY), to: paris(NOW), offerId },
        jwtClaims: merchantClaims(merchantId, "marketing-analyst"),
      }),
      lambdaContext,
    );
    expect(journey.statusCode).toBe(200);
    expect(contract.checkResponse(journeyReportRoute, journey)).toEqual([]);
    const { offerId: _, ...offerJourney } = (bodyOf(journey) as { offer: { offerId: string } })
      .offer;
    expect(
      offerReport.channels.find((c: { channel: string }) => c.channel === "geofence")?.journey,
    ).toEqual(offerJourney);
    // The built-in effect shows across all channels: treated people came back more often.
    expect(offerReport.totals.journey.repeatWithinWindow.lift.absoluteLift).toBeGreaterThan(0);
  });
});
