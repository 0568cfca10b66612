/**
 * Online to offline through the HTTP API on the local engines: claim links per channel and
 * variant, claims and exposures randomized against the offer's holdout, visits attributed to
 * them, and the channel report checked figure by figure against counts derived independently
 * from the simulated events. Also: tenant isolation of links, guessing limits, web claims, and
 * the budget race across claims and geofence sends.
 */
import { describe, expect, it } from "vitest";
import { uniqueId } from "../support/aws.ts";
import { registerDevice, userAssertion } from "../support/device-api.ts";
import { offset } from "../support/fixtures.ts";
import { call, useTestServer } from "../support/local-server.ts";
import { liveOfferBody } from "../support/merchant-api.ts";

const server = useTestServer();
const merchantId = uniqueId("m_o2o");
const otherMerchant = uniqueId("m_o2o_other");
// A site no other test file uses (Naples): geofence matching spans merchants, so a store or zone
// of another file nearby would add its own footprint events and sends to these devices.
const STORE = { lat: 40.8518, lon: 14.2681 };
const FAR_ZONE = { type: "Circle", center: offset(STORE, 20_000, 0), radiusM: 100 };

/** Runs `n` tasks, 8 at a time (a shop's worth of phones, not a thundering herd). */
async function inBatches<T>(n: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += 8) {
    out.push(
      ...(await Promise.all(Array.from({ length: Math.min(8, n - i) }, (_, k) => task(i + k)))),
    );
  }
  return out;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A user assertion of the app's backend (the person behind several installs). */
const assertion = (userId: string) => userAssertion(server, userId);

async function register(marketing = true, userAssertion?: string): Promise<string> {
  const device = await registerDevice(server, {
    platform: "ios",
    consent: { location: true, marketing },
    ...(userAssertion ? { userAssertion } : {}),
  });
  return device.token;
}

/** Posts an in-store stay that dwells (≥ 120 s) with the dwell confirmed after `after`. */
async function visit(token: string, after: number, at = STORE) {
  const inStore = offset(at, 4, 3);
  const res = await call(`${server.url}/v1/pings`, {
    method: "POST",
    headers: bearer(token),
    body: {
      pings: [-30_000, 40_000, 100_000].map((d) => ({
        ...inStore,
        accuracyM: 8,
        timestamp: after + d,
        speedMps: 0.2,
      })),
    },
  });
  expect(res.status).toBe(202);
  expect(
    res.body.events
      .filter((e: { kind: string }) => e.kind === "footprint")
      .map((e: { type: string }) => e.type),
  ).toEqual(["entered", "dwelled"]);
}

async function createStore(admin: Record<string, string>, name: string, at = STORE) {
  const store = await call(`${server.url}/v1/stores`, {
    method: "POST",
    headers: admin,
    body: { name, location: at, footprint: { type: "Circle", center: at, radiusM: 40 } },
  });
  expect(store.status).toBe(201);
  return store.body.storeId as string;
}

function offerBody(storeId: string, extra: Record<string, unknown> = {}) {
  return liveOfferBody([storeId], {
    name: "Louvre autumn",
    message: { title: "Autumn at the Louvre store", body: "10 % off today" },
    holdoutPercent: 20,
    currency: "EUR",
    costPerSend: "0.10",
    incentiveValue: "2.00",
    quietHours: "none",
    ...extra,
  });
}

describe("claim links, claims and the channel report", () => {
  it("every figure of the channel report equals an independent count of the simulated events", async () => {
    const admin = bearer(await server.token(merchantId, "merchant-admin"));
    const analyst = bearer(await server.token(merchantId, "marketing-analyst"));
    const pos = bearer(await server.token(merchantId, "pos"));
    const storeId = await createStore(admin, "Louvre");
    const offer = await call(`${server.url}/v1/offers`, {
      method: "POST",
      headers: admin,
      // The trigger zone is far from the store: visits here never trigger a geofence send.
      body: offerBody(storeId, { triggerZone: FAR_ZONE }),
    });
    expect(offer.status).toBe(201);
    const offerId = offer.body.offerId as string;

    // Links: e-mail and social, two creative variants each, plus a web-claimable QR link.
    const links: { linkId: string; token: string; channel: string; variant: string }[] = [];
    for (const channel of ["email", "social"]) {
      for (const variant of ["A", "B"]) {
        const res = await call(`${server.url}/v1/offers/${offerId}/links`, {
          method: "POST",
          headers: admin,
          body: { channel, variant, label: `${channel} ${variant}` },
        });
        expect(res.status).toBe(201);
        expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
        expect(res.body).toMatchObject({ channel, variant, state: "active" });
        links.push(res.body);
      }
    }
    const qr = await call(`${server.url}/v1/offers/${offerId}/links`, {
      method: "POST",
      headers: admin,
      body: { channel: "qr", variant: "poster", allowWebClaims: true },
    });
    expect(qr.status).toBe(201);
    const bad = await call(`${server.url}/v1/offers/${offerId}/links`, {
      method: "POST",
      headers: admin,
      body: { channel: "geofence", variant: "A" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("channel");

    // Tenant isolation: another merchant sees no link and cannot change one.
    const other = bearer(await server.token(otherMerchant, "merchant-admin"));
    expect(
      (await call(`${server.url}/v1/offers/${offerId}/links`, { headers: other })).status,
    ).toBe(404);
    const foreignPatch = await call(
      `${server.url}/v1/offers/${offerId}/links/${links[0]?.linkId}`,
      { method: "PATCH", headers: other, body: { status: "paused" } },
    );
    expect(foreignPatch.status).toBe(404);
    expect(
      (
        await call(`${server.url}/v1/reports/offers/${offerId}/channels`, {
          headers: bearer(await server.token(otherMerchant, "marketing-analyst")),
        })
      ).status,
    ).toBe(404);

    // Simulated shoppers: each claims one link; some without marketing consent; some visit.
    type Shopper = {
      token: string;
      link: (typeof links)[number];
      outcome: string;
      code: string | null;
      visits: boolean;
    };
    const N = 48;
    const shoppers: Shopper[] = await inBatches(N, async (i) => {
      const consent = i % 12 !== 11;
      const token = await register(consent);
      const link = links[i % links.length] as (typeof links)[number];
      const claim = await call(`${server.url}/v1/claims`, {
        method: "POST",
        headers: bearer(token),
        body: { token: link.token },
      });
      expect(claim.status).toBe(200);
      expect(claim.body).toMatchObject({ channel: link.channel, variant: link.variant });
      if (!consent)
        expect(claim.body).toMatchObject({ outcome: "suppressed", reason: "no_consent" });
      if (claim.body.outcome === "granted") expect(claim.body.code).toMatch(/\S{6,}/);
      if (claim.body.outcome === "held_out") expect(claim.body.code).toBeNull();
      return {
        token,
        link,
        outcome: claim.body.outcome,
        code: claim.body.code,
        visits: i % 3 !== 0,
      };
    });
    // Re-claiming cannot re-roll: same outcome and same code.
    for (const s of shoppers.slice(0, 6)) {
      const again = await call(`${server.url}/v1/claims`, {
        method: "POST",
        headers: bearer(s.token),
        body: { token: s.link.token },
      });
      expect(again.body.outcome).toBe(s.outcome);
      expect(again.body.code).toBe(s.code);
    }
    const treatedShoppers = shoppers.filter((s) => s.outcome === "granted");
    const heldShoppers = shoppers.filter((s) => s.outcome === "held_out");
    expect(treatedShoppers.length).toBeGreaterThan(0);
    expect(heldShoppers.length).toBeGreaterThan(0);

    const now = Date.now();
    const visitors = shoppers.filter((x) => x.visits);
    await inBatches(visitors.length, (i) => visit((visitors[i] as Shopper).token, now));

    // One treated claimer redeems; a web page claims the QR link and that code is redeemed too.
    const redeemer = treatedShoppers[0] as Shopper;
    const redeemed = await call(`${server.url}/v1/redemptions`, {
      method: "POST",
      headers: pos,
      body: { code: redeemer.code, storeId },
    });
    expect(redeemed.status).toBe(200);
    const web = await call(`${server.url}/v1/claims/web`, {
      method: "POST",
      body: { token: qr.body.token },
    });
    expect(web.status).toBe(200);
    const webRedeemed = await call(`${server.url}/v1/redemptions`, {
      method: "POST",
      headers: pos,
      body: { code: web.body.code, storeId },
    });
    expect(webRedeemed.status).toBe(200);
    // An app-only link refuses web claims.
    const appOnly = await call(`${server.url}/v1/claims/web`, {
      method: "POST",
      body: { token: links[0]?.token },
    });
    expect(appOnly.status).toBe(403);

    const report = await call(`${server.url}/v1/reports/offers/${offerId}/channels`, {
      headers: analyst,
    });
    expect(report.status).toBe(200);
    for (const link of links) {
      const mine = shoppers.filter((s) => s.link.linkId === link.linkId);
      const row = report.body.rows.find(
        (r: { channel: string; variant: string }) =>
          r.channel === link.channel && r.variant === link.variant,
      );
      const treated = mine.filter((s) => s.outcome === "granted");
      const held = mine.filter((s) => s.outcome === "held_out");
      expect(row).toMatchObject({
        claims: { treated: treated.length, holdout: held.length },
        touches: { treated: treated.length, holdout: held.length },
        suppressed: mine.filter((s) => s.outcome === "suppressed").length,
        visits: {
          treated: treated.filter((s) => s.visits).length,
          holdout: held.filter((s) => s.visits).length,
        },
        creditedVisits: [...treated, ...held].filter((s) => s.visits).length,
        redemptions: redeemer.link.linkId === link.linkId ? 1 : 0,
        web: { claims: 0, redemptions: 0 },
      });
      const rate = (v: number, n: number) => (n === 0 ? null : v / n);
      expect(row.visitRate.treated).toBeCloseTo(
        rate(treated.filter((s) => s.visits).length, treated.length) ?? Number.NaN,
        12,
      );
    }
    // The offer report's funnel is the geofence funnel (no send here): the two codes claimed
    // online and redeemed at the store count apart, so its redemptions stay a part of its sends.
    const offerReport = await call(`${server.url}/v1/reports/offers/${offerId}?groupBy=store`, {
      headers: analyst,
    });
    expect(offerReport.status).toBe(200);
    expect(offerReport.body.totals.funnel).toMatchObject({
      sent: 0,
      redemptions: 0,
      online: { redemptions: 2, expired: 0 },
    });
    expect(offerReport.body.totals.redemptionRate).toBeNull();
    expect(
      offerReport.body.rows.find((r: { storeId: string }) => r.storeId === storeId)?.funnel.online,
    ).toEqual({ redemptions: 2, expired: 0 });
    const qrRow = report.body.rows.find((r: { channel: string }) => r.channel === "qr");
    expect(qrRow).toMatchObject({
      web: { claims: 1, redemptions: 1 },
      touches: { treated: 0, holdout: 0 },
    });
    expect(report.body.totals).toMatchObject({
      claims: { treated: treatedShoppers.length, holdout: heldShoppers.length },
      visits: {
        treated: treatedShoppers.filter((s) => s.visits).length,
        holdout: heldShoppers.filter((s) => s.visits).length,
      },
      suppressedByReason: { no_consent: shoppers.filter((s) => s.outcome === "suppressed").length },
    });
    // Channels and variants add up to the rows; each pair of variants is compared.
    for (const channel of ["email", "social"]) {
      const c = report.body.channels.find((r: { channel: string }) => r.channel === channel);
      const mine = shoppers.filter((s) => s.link.channel === channel && s.outcome === "granted");
      expect(c.claims.treated).toBe(mine.length);
    }
    const pairs = report.body.variantComparison.map(
      (v: { a: string; b: string }) => `${v.a}-${v.b}`,
    );
    expect(pairs).toEqual(["A-B", "A-poster", "B-poster"]);
    const ab = report.body.variantComparison[0];
    const countVariant = (v: string) => {
      const t = shoppers.filter((s) => s.link.variant === v && s.outcome === "granted");
      return { n: t.length, visits: t.filter((s) => s.visits).length };
    };
    expect(ab.aTreated).toEqual(countVariant("A"));
    expect(ab.bTreated).toEqual(countVariant("B"));

    // Across offers (the merchant has only this one so far): the same figures per channel.
    const across = await call(`${server.url}/v1/reports/channels`, { headers: analyst });
    expect(across.status).toBe(200);
    for (const channel of ["email", "social"]) {
      const row = across.body.acrossOffers.find((r: { channel: string }) => r.channel === channel);
      const mine = shoppers.filter((s) => s.link.channel === channel);
      expect(row.claims).toEqual({
        treated: mine.filter((s) => s.outcome === "granted").length,
        holdout: mine.filter((s) => s.outcome === "held_out").length,
      });
    }

    // The log holds each claim with its channel and variant.
    const log = await call(
      `${server.url}/v1/conversions?offerId=${offerId}&type=claimed&limit=200`,
      {
        headers: analyst,
      },
    );
    expect(log.body.items).toHaveLength(treatedShoppers.length + heldShoppers.length + 1);
    expect(new Set(log.body.items.map((r: { channel: string }) => r.channel))).toEqual(
      new Set(["email", "social", "qr"]),
    );

    // A paused link refuses claims (409) and the merchant can resume it.
    const paused = await call(`${server.url}/v1/offers/${offerId}/links/${links[1]?.linkId}`, {
      method: "PATCH",
      headers: admin,
      body: { status: "paused" },
    });
    expect(paused.status).toBe(200);
    expect(paused.body.state).toBe("paused");
    const refused = await call(`${server.url}/v1/claims`, {
      method: "POST",
      headers: bearer(shoppers[1]?.token ?? ""),
      body: { token: links[1]?.token },
    });
    expect(refused.status).toBe(409);
  }, 240_000);

  it("exposures are randomized once per person: treated show the banner, control does not", async () => {
    const admin = bearer(await server.token(merchantId, "merchant-admin"));
    const analyst = bearer(await server.token(merchantId, "marketing-analyst"));
    const storeId = await createStore(admin, "Opéra", offset(STORE, 900, 0));
    const offer = await call(`${server.url}/v1/offers`, {
      method: "POST",
      headers: admin,
      body: offerBody(storeId, {
        name: "In-app banner",
        holdoutPercent: 50,
        triggerZone: FAR_ZONE,
      }),
    });
    const offerId = offer.body.offerId as string;
    const link = await call(`${server.url}/v1/offers/${offerId}/links`, {
      method: "POST",
      headers: admin,
      body: { channel: "in-app", variant: "banner-1" },
    });
    const seen: { token: string; outcome: string }[] = [];
    for (let i = 0; i < 16; i++) {
      const token = await register();
      const first = await call(`${server.url}/v1/exposures`, {
        method: "POST",
        headers: bearer(token),
        body: { token: link.body.token },
      });
      expect(first.status).toBe(200);
      expect(first.body.show).toBe(first.body.outcome === "treated");
      const second = await call(`${server.url}/v1/exposures`, {
        method: "POST",
        headers: bearer(token),
        body: { token: link.body.token },
      });
      expect(second.body).toMatchObject({ outcome: first.body.outcome, repeat: true });
      seen.push({ token, outcome: first.body.outcome });
    }
    const now = Date.now();
    const visitors = seen.filter((_, i) => i % 2 === 0);
    for (const s of visitors) await visit(s.token, now, offset(STORE, 900, 0));
    const report = await call(`${server.url}/v1/reports/offers/${offerId}/channels`, {
      headers: analyst,
    });
    const row = report.body.rows[0];
    const treated = seen.filter((s) => s.outcome === "treated");
    const held = seen.filter((s) => s.outcome === "held_out");
    expect(row).toMatchObject({
      channel: "in-app",
      variant: "banner-1",
      exposures: { treated: treated.length, holdout: held.length, repeats: 16 },
      visits: {
        treated: visitors.filter((s) => s.outcome === "treated").length,
        holdout: visitors.filter((s) => s.outcome === "held_out").length,
      },
    });
  });

  it("a person re-claiming from new installs gets the first decision again: no re-roll, no second code", async () => {
    const admin = bearer(await server.token(merchantId, "merchant-admin"));
    const storeId = await createStore(admin, "Bastille", offset(STORE, 0, -1_500));
    const offer = await call(`${server.url}/v1/offers`, {
      method: "POST",
      headers: admin,
      body: offerBody(storeId, { name: "People", holdoutPercent: 50, triggerZone: FAR_ZONE }),
    });
    const link = await call(`${server.url}/v1/offers/${offer.body.offerId}/links`, {
      method: "POST",
      headers: admin,
      body: { channel: "sms", variant: "short" },
    });
    const outcomes = new Set<string>();
    for (let person = 0; person < 6; person++) {
      const userId = uniqueId("user");
      const answers: { outcome: string; code: string | null; claimId: string | null }[] = [];
      for (let install = 0; install < 4; install++) {
        const token = await register(true, await assertion(userId));
        const res = await call(`${server.url}/v1/claims`, {
          method: "POST",
          headers: bearer(token),
          body: { token: link.body.token },
        });
        expect(res.status).toBe(200);
        answers.push(res.body);
      }
      // Every install of the person sees the first decision: same group, same code.
      expect(new Set(answers.map((a) => `${a.outcome}/${a.code}/${a.claimId}`)).size).toBe(1);
      outcomes.add(answers[0]?.outcome ?? "");
    }
    const report = await call(`${server.url}/v1/reports/offers/${offer.body.offerId}/channels`, {
      headers: bearer(await server.token(merchantId, "marketing-analyst")),
    });
    const row = report.body.rows[0];
    expect(row.claims.treated + row.claims.holdout).toBe(6);
  });

  it("guessing tokens is limited: unknown tokens answer 404, then 429 with Retry-After", async () => {
    const token = await register();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const guess = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
      const res = await call(`${server.url}/v1/claims`, {
        method: "POST",
        headers: bearer(token),
        body: { token: guess },
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it("budget race: claims and geofence sends in parallel grant exactly the budget", async () => {
    const admin = bearer(await server.token(merchantId, "merchant-admin"));
    const at = offset(STORE, 0, 2_000);
    const storeId = await createStore(admin, "Race", at);
    // More than either channel alone can take (20 requests each): both must share it.
    const BUDGET = 25;
    const offer = await call(`${server.url}/v1/offers`, {
      method: "POST",
      headers: admin,
      body: offerBody(storeId, {
        name: "Race",
        holdoutPercent: 0,
        budget: { maxIncentives: BUDGET },
        // Geofence sends get message variants, one per person.
        variants: [
          { variantId: "calm", title: "Quiet hour at Race", body: "Coffee is on us" },
          { variantId: "urgent", title: "Last call at Race", body: "Free coffee, today only" },
        ],
      }),
    });
    expect(offer.status).toBe(201);
    const offerId = offer.body.offerId as string;
    const link = await call(`${server.url}/v1/offers/${offerId}/links`, {
      method: "POST",
      headers: admin,
      body: { channel: "email", variant: "race" },
    });
    const tokens = await Promise.all(Array.from({ length: 40 }, () => register()));
    const near = offset(at, 250, 0);
    const sendTitles: string[] = [];
    const now = Date.now();
    const results = await Promise.all(
      tokens.map(async (token, i) => {
        if (i % 2 === 0) {
          const res = await call(`${server.url}/v1/claims`, {
            method: "POST",
            headers: bearer(token),
            body: { token: link.body.token },
          });
          return res.body.outcome === "granted" ? [res.body.code as string] : [];
        }
        const res = await call(`${server.url}/v1/pings`, {
          method: "POST",
          headers: bearer(token),
          body: { pings: [{ ...near, accuracyM: 15, timestamp: now - 5_000, speedMps: 1 }] },
        });
        for (const x of res.body.incentives ?? []) {
          expect(["Quiet hour at Race", "Last call at Race"]).toContain(x.title);
          sendTitles.push(x.title);
        }
        return (res.body.incentives ?? []).map((x: { code: string }) => x.code);
      }),
    );
    const codes = results.flat();
    const byClaim = results.filter((_, i) => i % 2 === 0).flat().length;
    console.log(
      `budget race: ${codes.length} codes granted for a budget of ${BUDGET} (${byClaim} by claim, ${codes.length - byClaim} by geofence) out of 40 parallel requests`,
    );
    expect(codes).toHaveLength(BUDGET);
    expect(new Set(codes).size).toBe(BUDGET);
    const view = await call(`${server.url}/v1/offers/${offerId}`, { headers: admin });
    expect(view.body.sentCount).toBe(BUDGET);
    // The channel report has the sends by message variant and the claims on their link.
    const report = await call(`${server.url}/v1/reports/offers/${offerId}/channels`, {
      headers: bearer(await server.token(merchantId, "marketing-analyst")),
    });
    const sends = (variant: string) =>
      report.body.rows.find(
        (r: { channel: string; variant: string }) =>
          r.channel === "geofence" && r.variant === variant,
      )?.sends.treated ?? 0;
    expect(sends("calm")).toBe(sendTitles.filter((t) => t.startsWith("Quiet")).length);
    expect(sends("urgent")).toBe(sendTitles.filter((t) => t.startsWith("Last")).length);
    expect(report.body.totals.claims.treated).toBe(byClaim);
  });
});
