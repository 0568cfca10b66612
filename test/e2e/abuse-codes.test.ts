/**
 * Abuse resistance over the local HTTP API: merchant token claims, strict input, the redemption
 * guess limiter and the rules of static codes.
 */
import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mintMerchantToken } from "../../scripts/local/dev-jwt.ts";
import { IAT_SKEW_SECONDS } from "../../shared/auth/principal.ts";
import { REDEMPTION_CODE_ALPHABET } from "../../shared/domain/decision/redemption-code.ts";
import { attemptWindow, DEFAULT_REDEMPTION_LIMITS } from "../../shared/use-cases/redemptions.ts";
import { putCode } from "../integration/reports/fixtures.ts";
import { uniqueId } from "../support/aws.ts";
import { offerRequest } from "../support/catalog-items.ts";
import { call, useTestServer } from "../support/local-server.ts";
import { createCircleStore } from "../support/merchant-api.ts";

const server = useTestServer();

const PARIS = { lat: 48.8584, lon: 2.347 };

function guess(): string {
  let code = "";
  for (let i = 0; i < 10; i++)
    code += REDEMPTION_CODE_ALPHABET[randomInt(REDEMPTION_CODE_ALPHABET.length)];
  return code;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function createStore(merchantId: string, name = "Store") {
  return await createCircleStore(
    server,
    merchantId,
    { name, at: PARIS, radiusM: 30 },
    { timeZone: "Europe/Paris" },
  );
}

/** An offer with no holdout (every trigger is sent), valid until 2099, codes valid 2 h. */
function offerBody(storeIds: string[], patch: Record<string, unknown> = {}) {
  return offerRequest(storeIds, {
    name: "Coffee",
    message: { title: "Coffee break?", body: "−20 % on any coffee." },
    validTo: "2099-01-01T00:00:00Z",
    holdoutPercent: 0,
    attributionWindowHours: 24,
    redemption: { codeKind: "unique", expiresAfterHours: 2 },
    ...patch,
  });
}

async function createOffer(merchantId: string, body: unknown) {
  return await call(`${server.url}/v1/offers`, {
    method: "POST",
    headers: bearer(await server.token(merchantId, "merchant-admin")),
    body,
  });
}

const redeem = (token: string, body: unknown) =>
  call(`${server.url}/v1/redemptions`, { method: "POST", headers: bearer(token), body });

/** Counters live per window: do not start a window-sensitive test right before one ends. */
async function awayFromWindowEnd(marginMs = 20_000) {
  const { end } = attemptWindow(Date.now(), DEFAULT_REDEMPTION_LIMITS.windowMs);
  if (end - Date.now() < marginMs) await new Promise((r) => setTimeout(r, end - Date.now() + 50));
}

describe("merchant token claims", () => {
  it("a group named 'pos,merchant-admin' grants nothing; only exact cognito:groups count", async () => {
    const merchantId = uniqueId("m");
    const body = {
      name: "S",
      location: PARIS,
      footprint: { type: "Circle", center: PARIS, radiusM: 30 },
    };
    const commaGroup = await mintMerchantToken(server.jwtKey, {
      merchantId,
      role: "pos",
      groups: ["pos,merchant-admin"],
    });
    const refused = await call(`${server.url}/v1/stores`, {
      method: "POST",
      headers: bearer(commaGroup),
      body,
    });
    expect(refused.status).toBe(403);
    const two = await mintMerchantToken(server.jwtKey, {
      merchantId,
      role: "pos",
      groups: ["pos", "merchant-admin"],
    });
    expect(
      (await call(`${server.url}/v1/stores`, { method: "POST", headers: bearer(two), body }))
        .status,
    ).toBe(201);
  });

  it("an access token, or one issued in the future, gets 401", async () => {
    const merchantId = uniqueId("m");
    const access = await mintMerchantToken(server.jwtKey, {
      merchantId,
      role: "merchant-admin",
      tokenUse: "access",
    });
    expect((await call(`${server.url}/v1/stores`, { headers: bearer(access) })).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const future = await mintMerchantToken(server.jwtKey, {
      merchantId,
      role: "merchant-admin",
      issuedAt: now + IAT_SKEW_SECONDS + 120,
    });
    expect((await call(`${server.url}/v1/stores`, { headers: bearer(future) })).status).toBe(401);
    const ok = await server.token(merchantId, "merchant-admin");
    expect((await call(`${server.url}/v1/stores`, { headers: bearer(ok) })).status).toBe(200);
  });
});

describe("lenient input gets 400 naming the field", () => {
  it("offer dates in year 0001 or 9999", async () => {
    const merchantId = uniqueId("m");
    const storeId = await createStore(merchantId);
    for (const [field, value] of [
      ["validFrom", "0001-01-01T00:00:00Z"],
      ["validTo", "9999-12-31T23:59:59Z"],
      ["validFrom", "1999-12-31T23:59:59Z"],
      ["validTo", "2100-01-01T00:00:00Z"],
    ] as const) {
      const res = await createOffer(merchantId, offerBody([storeId], { [field]: value }));
      expect(res.status, `${field}=${value}`).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const edge = await createOffer(
      merchantId,
      offerBody([storeId], {
        validFrom: "2000-01-01T00:00:00Z",
        validTo: "2099-12-31T23:59:59Z",
      }),
    );
    expect(edge.status).toBe(201);
  });

  it("import bodies with unknown top-level members, __proto__ anywhere, or 10,000-deep JSON", async () => {
    const merchantId = uniqueId("m");
    const auth = bearer(await server.token(merchantId, "merchant-admin"));
    const feature = {
      type: "Feature",
      geometry: { type: "Point", coordinates: [PARIS.lon, PARIS.lat] },
      properties: { name: "Imported" },
    };
    const post = (rawBody: string) =>
      call(`${server.url}/v1/stores:import`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        rawBody,
      });
    const unknown = await post(
      JSON.stringify({ type: "FeatureCollection", features: [feature], extra: 1 }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toContainEqual({ path: "extra", reason: "unknown field" });
    const proto = await post(`{"type":"FeatureCollection","features":[],"__proto__":{"x":1}}`);
    expect(proto.status).toBe(400);
    expect(proto.body.errors).toEqual([{ path: "__proto__", reason: "this key is not allowed" }]);
    const nested = await post(
      `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"__proto__":{"admin":true}}}]}`,
    );
    expect(nested.status).toBe(400);
    expect(nested.body.errors[0].path).toBe("features/0/properties/__proto__");
    const deep = await post(
      `{"type":"FeatureCollection","features":[],"x":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`,
    );
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].path).toBe("(body)");
    expect(deep.body.errors[0].reason).toMatch(/deeper than 32/);
    // The GeoJSON bbox member is allowed; nothing was written by the refused bodies.
    const good = await post(
      JSON.stringify({ type: "FeatureCollection", bbox: [2, 48, 3, 49], features: [feature] }),
    );
    expect(good.status).toBeLessThan(300);
  });

  it("nearby lat= empty, 0x10, 1e1, ' 7' and Infinity", async () => {
    const reg = await call(`${server.url}/v1/devices`, {
      method: "POST",
      headers: { "x-app-key": server.appKey },
      body: { platform: "ios", consent: { location: true, marketing: true } },
    });
    const auth = bearer(reg.body.token);
    for (const [query, field] of [
      ["lat=&lon=2.35", "lat"],
      ["lat=0x10&lon=2.35", "lat"],
      ["lat=48.85&lon=1e1", "lon"],
      ["lat=%207&lon=2.35", "lat"],
      ["lat=Infinity&lon=2.35", "lat"],
      ["lat=48.85&lon=2.35&radiusM=0x100", "radiusM"],
      ["lat=48.85&lon=2.35&limit=1.5", "limit"],
    ] as const) {
      const res = await call(`${server.url}/v1/offers/nearby?${query}`, { headers: auth });
      expect(res.status, query).toBe(400);
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        query,
      ).toContain(field);
    }
    const ok = await call(`${server.url}/v1/offers/nearby?lat=48.8584&lon=-2.347`, {
      headers: auth,
    });
    expect(ok.status).toBe(200);
  });

  it("control and bidi-override characters in push titles, bodies and names", async () => {
    const merchantId = uniqueId("m");
    const storeId = await createStore(merchantId);
    const cases: [Record<string, unknown>, string][] = [
      [{ message: { title: "Free\u202Eeerf", body: "b" } }, "message/title"],
      [{ message: { title: "Free\u2066coffee\u2069", body: "b" } }, "message/title"],
      [{ message: { title: "Bell\u0007", body: "b" } }, "message/title"],
      [{ message: { title: "Two\nlines", body: "b" } }, "message/title"],
      [{ message: { title: "C1\u0085", body: "b" } }, "message/title"],
      [{ message: { title: "ok", body: "null\u0000byte" } }, "message/body"],
      [{ message: { title: "ok", body: "lone \uD800 surrogate" } }, "message/body"],
      [{ name: "Offer\u202D" }, "name"],
    ];
    for (const [patch, path] of cases) {
      const res = await createOffer(merchantId, offerBody([storeId], patch));
      expect(res.status, JSON.stringify(patch)).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const store = await call(`${server.url}/v1/stores`, {
      method: "POST",
      headers: bearer(await server.token(merchantId, "merchant-admin")),
      body: {
        name: "Caf\u00e9\u202E",
        location: PARIS,
        footprint: { type: "Circle", center: PARIS, radiusM: 30 },
      },
    });
    expect(store.status).toBe(400);
    expect(store.body.errors.map((e: { path: string }) => e.path)).toContain("name");
    // Right-to-left text with its marks and a multi-line body are fine.
    const fine = await createOffer(
      merchantId,
      offerBody([storeId], {
        message: { title: "\u200Fקפה חינם", body: "Line one\nLine two" },
      }),
    );
    expect(fine.status).toBe(201);
  });
});

describe("redemption guess limiter", () => {
  it("200 parallel guesses from one till: at most the limit evaluated; another till still redeems", async () => {
    await awayFromWindowEnd();
    const merchantId = uniqueId("m");
    const storeId = await createStore(merchantId);
    const offer = await createOffer(merchantId, offerBody([storeId]));
    const code = guess();
    await putCode({
      merchantId,
      code,
      incentiveId: uniqueId("inc"),
      offerId: offer.body.offerId,
      storeId,
      storeIds: [storeId],
      expiresAtMs: Date.now() + 3_600_000,
      title: "Coffee break?",
    });
    const tillA = await server.token(merchantId, "pos");
    const results = await Promise.all(
      Array.from({ length: 200 }, () => redeem(tillA, { code: guess(), storeId })),
    );
    const evaluated = results.filter((r) => r.status === 404).length;
    const limited = results.filter((r) => r.status === 429);
    console.log(
      `200 parallel guesses from one till: ${evaluated} evaluated (404), ${limited.length} answered 429`,
    );
    expect(evaluated).toBeLessThanOrEqual(DEFAULT_REDEMPTION_LIMITS.maxFailures);
    expect(evaluated).toBeGreaterThan(0);
    expect(evaluated + limited.length).toBe(200);
    const retryAfter = Number(limited[0]?.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(DEFAULT_REDEMPTION_LIMITS.windowMs / 1000);
    expect(limited[0]?.body).toMatchObject({ status: 429, scope: "till" });
    // Till A is locked out — even for the valid code; another till redeems it.
    expect((await redeem(tillA, { code, storeId })).status).toBe(429);
    const tillB = await server.token(merchantId, "pos");
    const other = await redeem(tillB, { code, storeId });
    console.log(`another till's valid redemption during the lockout: ${other.status}`);
    expect(other.status).toBe(200);
    // A valid code gives its slot back: till B is not closer to its own limit.
    expect((await redeem(tillB, { code, storeId })).status).toBe(409);
  });

  it("many tills guessing at one store hit the store ceiling, alarmed as a metric", async () => {
    await awayFromWindowEnd();
    const merchantId = uniqueId("m");
    const storeId = await createStore(merchantId);
    const otherStore = await createStore(merchantId, "Other");
    const tills = await Promise.all(
      Array.from({ length: 8 }, () => server.token(merchantId, "pos")),
    );
    const results = await Promise.all(
      tills.flatMap((t) => Array.from({ length: 20 }, () => redeem(t, { code: guess(), storeId }))),
    );
    const evaluated = results.filter((r) => r.status === 404).length;
    expect(evaluated).toBeLessThanOrEqual(DEFAULT_REDEMPTION_LIMITS.maxStoreFailures);
    const storeScoped = results.filter((r) => r.status === 429 && r.body.scope === "store");
    expect(storeScoped.length).toBe(160 - evaluated);
    // Slots of the refused attempts were given back to their tills: a till can still work at
    // another store of the merchant.
    const fresh = await redeem(tills[0] ?? "", { code: guess(), storeId: otherStore });
    expect([404, 429]).toContain(fresh.status);
    // An invented store id opens no bucket of its own: 404 naming storeId, counted for the till.
    const invented = await redeem(await server.token(merchantId, "pos"), {
      code: guess(),
      storeId: "st_doesnotexist0000",
    });
    expect(invented.status).toBe(404);
    expect(invented.body.errors[0].path).toBe("storeId");
  });
});

describe("static codes", () => {
  it("are refused while the offer is paused, outside its schedule, or over its cap (exact)", async () => {
    await awayFromWindowEnd();
    const merchantId = uniqueId("m");
    const storeId = await createStore(merchantId);
    const admin = bearer(await server.token(merchantId, "merchant-admin"));
    const code = `CAP-${randomInt(1e6)}`;
    const offer = await createOffer(
      merchantId,
      offerBody([storeId], {
        redemption: {
          codeKind: "static",
          staticCode: code,
          expiresAfterHours: 2,
          maxRedemptions: 5,
        },
      }),
    );
    expect(offer.status).toBe(201);
    const tills = await Promise.all(
      Array.from({ length: 4 }, () => server.token(merchantId, "pos")),
    );
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => redeem(tills[i % 4] ?? "", { code, storeId })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    const capped = results.filter((r) => r.status === 409);
    expect(capped).toHaveLength(7);
    expect(capped[0]?.body.errors).toEqual([{ path: "code", reason: "redemption cap reached" }]);
    const log = await call(
      `${server.url}/v1/conversions?type=redeemed&offerId=${offer.body.offerId}`,
      {
        headers: bearer(await server.token(merchantId, "marketing-analyst")),
      },
    );
    expect(log.status).toBe(200);
    expect(log.body.items).toHaveLength(5);

    const paused = await createOffer(
      merchantId,
      offerBody([storeId], {
        redemption: {
          codeKind: "static",
          staticCode: `P-${randomInt(1e6)}-X`,
          expiresAfterHours: 2,
        },
      }),
    );
    const pausedCode = paused.body.redemption.staticCode;
    expect((await redeem(tills[0] ?? "", { code: pausedCode, storeId })).status).toBe(200);
    expect(
      (
        await call(`${server.url}/v1/offers/${paused.body.offerId}/pause`, {
          method: "POST",
          headers: admin,
        })
      ).status,
    ).toBe(200);
    const whilePaused = await redeem(tills[0] ?? "", { code: pausedCode, storeId });
    expect(whilePaused.status).toBe(409);
    expect(whilePaused.body.errors).toEqual([{ path: "code", reason: "offer paused" }]);

    // A schedule the code honours only when the offer says so: an hour that is never now.
    const hour = new Date().getUTCHours();
    const far = String((hour + 12) % 24).padStart(2, "0");
    const farEnd = String(((hour + 12) % 24) + 1).padStart(2, "0");
    const schedule = [
      {
        days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        start: `${far}:00`,
        end: `${farEnd}:00`,
      },
    ];
    for (const onlyWithinSchedule of [true, false]) {
      const scheduled = await createOffer(
        merchantId,
        offerBody([storeId], {
          schedule,
          redemption: {
            codeKind: "static",
            staticCode: `S-${randomInt(1e6)}-${onlyWithinSchedule ? "A" : "B"}`,
            expiresAfterHours: 2,
            onlyWithinSchedule,
          },
        }),
      );
      expect(scheduled.status).toBe(201);
      const res = await redeem(tills[1] ?? "", {
        code: scheduled.body.redemption.staticCode,
        storeId,
      });
      expect(res.status).toBe(onlyWithinSchedule ? 409 : 200);
      if (onlyWithinSchedule)
        expect(res.body.errors).toEqual([{ path: "code", reason: "outside schedule" }]);
    }
    // The static-only options are refused on unique codes.
    const wrong = await createOffer(
      merchantId,
      offerBody([storeId], {
        redemption: { codeKind: "unique", expiresAfterHours: 2, maxRedemptions: 3 },
      }),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].path).toBe("redemption/maxRedemptions");
  });
});
