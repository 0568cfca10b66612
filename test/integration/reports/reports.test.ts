import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handler as listConversions } from "../../../functions/conversions-list.ts";
import { handler as offerReport } from "../../../functions/report-offer.ts";
import { handler as offerComparison } from "../../../functions/report-offers.ts";
import { handler as storeReport } from "../../../functions/report-store.ts";
import { COUNTER_FIELDS, type ConversionRecord } from "../../../shared/domain/conversion.ts";
import { CONVERSION_CSV_COLUMNS } from "../../../shared/domain/reports/conversion-csv.ts";
import { uniqueId } from "../../support/aws.ts";
import { loggedConversion } from "../../support/conversion-log.ts";
import { bodyOf, httpEvent, lambdaContext, merchantClaims } from "../../support/http-events.ts";
import { call, startTestServer } from "../../support/local-server.ts";
import { roleHeaders } from "../../support/merchant-api.ts";
import { LIFT_DAY_1, LIFT_DAY_2 } from "../../support/report-counters.ts";
import { bumpCounters, catalog, putOffer, putRecord, putStore, setBudgetUsed } from "./fixtures.ts";

const A = uniqueId("ma");
const B = uniqueId("mb");
const C = uniqueId("mc");
const OFFER = uniqueId("of");
const OFFER2 = uniqueId("of");
const OFFER_B = uniqueId("of");
const S1 = uniqueId("st");
const S2 = uniqueId("st");
const SB = uniqueId("st");
const T0 = Date.parse("2026-05-01T08:00:00Z");
const RANGE = { from: "2026-05-01", to: "2026-05-03" };

const analyst = merchantClaims(A, "marketing-analyst");
const admin = merchantClaims(A, "merchant-admin");

/** Every third record a send, else a trigger; even ones OFFER; every fourth one at S2. */
function record(
  i: number,
  merchantId = A,
  patch: Partial<ConversionRecord> = {},
): ConversionRecord {
  const log = {
    merchantId,
    t0: T0,
    localDay: "2026-05-01",
    types: ["sent", "triggered", "triggered"],
    offerIds: [OFFER, OFFER2],
    storeIds: [S2, S1, S1, S1],
    devices: 5,
  } as const;
  return { ...loggedConversion(i, log), ...patch };
}

beforeAll(async () => {
  await putStore(A, S1);
  await putStore(A, S2);
  await putStore(B, SB);
  await putOffer(A, OFFER, { storeIds: [S1, S2], budget: { maxIncentives: 1000 } });
  await putOffer(A, OFFER2, { storeIds: [S1] });
  await putOffer(B, OFFER_B, { storeIds: [SB] });
  await bumpCounters(A, OFFER, S1, "2026-05-01", {
    ...LIFT_DAY_1,
    [COUNTER_FIELDS.triggered]: 400,
    [COUNTER_FIELDS.suppressed]: 90,
    [COUNTER_FIELDS.suppressedBy("cap_day")]: 90,
    // The write side also counts an attributed visit as a visit on the offer's row.
    [COUNTER_FIELDS.visits]: 45,
    [COUNTER_FIELDS.ttvBucket(1)]: 45,
  });
  await bumpCounters(A, OFFER, S2, "2026-05-03", {
    ...LIFT_DAY_2,
    [COUNTER_FIELDS.ttvBucket(4)]: 24,
  });
  await bumpCounters(A, "-", S1, "2026-05-02", { [COUNTER_FIELDS.visits]: 12 });
  await bumpCounters(B, OFFER_B, SB, "2026-05-01", { [COUNTER_FIELDS.sent]: 5 });
  await setBudgetUsed(OFFER, 400);
  for (let i = 0; i < 25; i++) await putRecord(record(i));
  await putRecord(
    record(25, A, {
      type: "suppressed",
      reason: 'quiet "hours", night',
      offerId: OFFER,
      storeId: S1,
    }),
  );
  for (let i = 0; i < 3; i++)
    await putRecord(record(100 + i, B, { offerId: OFFER_B, storeId: SB }));
});

/** A report handler called as `claims` on the report of `id` (an offer or a store) over `query`. */
function reportCall(handler: typeof offerReport, collection: "offers" | "stores") {
  const param = collection === "offers" ? "offerId" : "storeId";
  return (claims: Record<string, string>, id: string, query: Record<string, string> = RANGE) =>
    handler(
      httpEvent({
        path: `/v1/reports/${collection}/${id}`,
        pathParameters: { [param]: id },
        query,
        jwtClaims: claims,
      }),
      lambdaContext,
    );
}
const getOffer = reportCall(offerReport, "offers");
const getStore = reportCall(storeReport, "stores");

async function getLog(
  claims: Record<string, string>,
  query: Record<string, string> = {},
  headers = {},
) {
  return await listConversions(
    httpEvent({ path: "/v1/conversions", query, headers, jwtClaims: claims }),
    lambdaContext,
  );
}

interface LogBody {
  items: {
    eventId: string;
    type: string;
    offerId: string;
    storeId: string;
    reason: string | null;
  }[];
  nextCursor: string | null;
}

describe("GET /v1/reports/offers/{offerId}", () => {
  it("reports funnel, rates, lift with its interval, median and budget from the counters", async () => {
    const res = await getOffer(analyst, OFFER);
    expect(res.statusCode).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: report JSON
    const r = bodyOf<any>(res);
    expect(r.totals.funnel).toMatchObject({
      sent: 400,
      heldOut: 100,
      suppressed: { total: 90, byReason: { cap_day: 90 } },
      attributedVisits: { treated: 60, holdout: 9 },
      redemptions: 30,
    });
    expect(r.totals.visitRate.treated).toBeCloseTo(0.15, 12);
    expect(r.totals.visitRate.holdout).toBeCloseTo(0.09, 12);
    // Hand-computed (see the unit test): d = 0.06, 95 % CI [−0.0061107, 0.1261107].
    expect(r.totals.lift.absolute).toBeCloseTo(0.06, 12);
    expect(r.totals.lift.absoluteCi[0]).toBeCloseTo(-0.0061106631, 6);
    expect(r.totals.lift.absoluteCi[1]).toBeCloseTo(0.1261106631, 6);
    expect(r.totals.lift.relativeCi[1]).toBeCloseTo(2.2423033552, 6);
    expect(r.totals.redemptionRate).toBeCloseTo(0.075, 12);
    // 45 in (5, 10], 24 in (20, 30]: n = 69, rank 35 → (5, 10].
    expect(r.totals.medianTimeToVisit).toMatchObject({ upperBoundMinutes: 10, sampleSize: 69 });
    expect(r.budget).toEqual({ used: 400, max: 1000, remaining: 600 });
    expect(r.method.lift).toMatch(/Wald.*Katz/);
    // A day without activity is left out unless asked for.
    expect(r.rows.map((row: { day: string }) => row.day)).toEqual(["2026-05-01", "2026-05-03"]);
    // biome-ignore lint/suspicious/noExplicitAny: report JSON
    const all = bodyOf<any>(await getOffer(analyst, OFFER, { ...RANGE, includeEmpty: "true" }));
    expect(all.rows.map((row: { day: string }) => row.day)).toEqual([
      "2026-05-01",
      "2026-05-02",
      "2026-05-03",
    ]);
  });

  it("groups by store and answers empty ranges with nulls and notes", async () => {
    // biome-ignore lint/suspicious/noExplicitAny: report JSON
    const byStore = bodyOf<any>(await getOffer(admin, OFFER, { ...RANGE, groupBy: "store" }));
    expect(byStore.rows.map((row: { storeId: string }) => row.storeId)).toEqual([S1, S2].sort());
    // biome-ignore lint/suspicious/noExplicitAny: report JSON
    const empty = bodyOf<any>(
      await getOffer(analyst, OFFER, { from: "2026-06-01", to: "2026-06-02" }),
    );
    expect(empty.totals.visitRate).toEqual({ treated: null, holdout: null });
    expect(empty.totals.lift.absolute).toBeNull();
    expect(empty.totals.notes.length).toBeGreaterThan(0);
  });

  it("validates the query by field name", async () => {
    const res = await getOffer(analyst, OFFER, { ...RANGE, groupBy: "year" });
    expect(res.statusCode).toBe(400);
    expect(bodyOf<{ errors: { path: string }[] }>(res).errors[0]?.path).toBe("groupBy");
    const reversed = await getOffer(analyst, OFFER, { from: "2026-05-03", to: "2026-05-01" });
    expect(reversed.statusCode).toBe(400);
    expect(bodyOf<{ errors: { path: string }[] }>(reversed).errors[0]?.path).toBe("to");
  });
});

describe("readable reports on DynamoDB Local", () => {
  it("the log names stores and offers, in JSON and in CSV", async () => {
    const body = bodyOf<{ items: Record<string, unknown>[] }>(
      await getLog(analyst, { limit: "5" }),
    );
    for (const item of body.items) {
      expect(item.storeName).toBe(`Store ${item.storeId}`);
      expect(item.offerName).toBe(`Offer ${item.offerId}`);
    }
    const csv = await getLog(analyst, { type: "suppressed" }, { accept: "text/csv" });
    const [header, row] = String(csv.body).split("\r\n");
    const cols = header?.split(",") ?? [];
    expect(cols).toEqual(expect.arrayContaining(["offerName", "storeName", "storeCode"]));
    expect(row).toContain(`Store ${S1}`);
  });

  it("compares every offer of the period, JSON and CSV", async () => {
    const res = await offerComparison(
      httpEvent({ path: "/v1/reports/offers", query: RANGE, jwtClaims: analyst }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: report JSON
    const r = bodyOf<any>(res);
    expect(r.offers.map((o: { offerId: string }) => o.offerId).sort()).toEqual(
      [OFFER, OFFER2].sort(),
    );
    expect(r.offers[0]).toMatchObject({ offerId: OFFER, offerName: `Offer ${OFFER}` });
    expect(r.offers[0].funnel.sent).toBe(400);
    const csv = await offerComparison(
      httpEvent({
        path: "/v1/reports/offers",
        query: RANGE,
        headers: { accept: "text/csv" },
        jwtClaims: analyst,
      }),
      lambdaContext,
    );
    expect(csv.headers?.["content-type"]).toMatch(/^text\/csv/);
    expect(String(csv.body).trimEnd().split("\r\n")).toHaveLength(3);
  });

  it("a deleted offer's report shows its name and state, not null", async () => {
    const M = uniqueId("md");
    const gone = uniqueId("of");
    const store = uniqueId("st");
    await putStore(M, store);
    await putOffer(M, gone, { storeIds: [store], name: "Spring sale" });
    await bumpCounters(M, gone, store, "2026-05-01", { [COUNTER_FIELDS.sent]: 3 });
    const offer = await catalog().getOffer(M, gone);
    if (!offer) throw new Error("fixture offer missing");
    await catalog().deleteOffer(offer, offer.version, "2026-05-02T10:00:00.000Z");
    await catalog().deleteStore(M, store, undefined, {
      ...(await catalog().getStore(M, store))!,
      deletedAt: "2026-05-03T10:00:00.000Z",
    });
    const res = await getOffer(merchantClaims(M, "marketing-analyst"), gone, {
      ...RANGE,
      groupBy: "store",
    });
    expect(res.statusCode).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: report JSON
    const r = bodyOf<any>(res);
    expect(r.offerName).toBe("Spring sale");
    expect(r.state).toBe("deleted");
    expect(r.offer.deletedAt).toBe("2026-05-02T10:00:00.000Z");
    expect(r.rows[0]).toMatchObject({
      storeId: store,
      storeName: `Store ${store}`,
      storeDeleted: true,
    });
  });
});

describe("GET /v1/reports/stores/{storeId}", () => {
  it("visits and attributed visits by offer and day", async () => {
    const res = await getStore(analyst, S1);
    expect(res.statusCode).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: report JSON
    const r = bodyOf<any>(res);
    expect(r.rows).toEqual([
      expect.objectContaining({
        day: "2026-05-01",
        offerId: OFFER,
        offerName: expect.any(String),
        visits: 45,
        attributedVisits: { treated: 40, holdout: 5, total: 45 },
      }),
      expect.objectContaining({
        day: "2026-05-02",
        offerId: null,
        offerName: null,
        visits: 12,
        attributedVisits: { treated: 0, holdout: 0, total: 0 },
      }),
    ]);
    expect(r.totals).toEqual({
      visits: 12,
      attributedVisits: { treated: 40, holdout: 5, total: 45 },
    });
  });
});

describe("GET /v1/conversions", () => {
  it("pages newest first with a cursor, through the offer index too", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await getLog(analyst, { limit: "7", ...(cursor ? { cursor } : {}) });
      expect(res.statusCode).toBe(200);
      const body = bodyOf<LogBody>(res);
      seen.push(...body.items.map((i) => i.eventId));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(26);
    expect(seen[0]).toBe("evt_0025");
    expect(seen.at(-1)).toBe("evt_0000");

    const viaOffer: string[] = [];
    cursor = null;
    do {
      const res = await getLog(admin, {
        offerId: OFFER,
        storeId: S1,
        limit: "2",
        ...(cursor ? { cursor } : {}),
      });
      const body = bodyOf<LogBody>(res);
      expect(body.items.every((i) => i.offerId === OFFER && i.storeId === S1)).toBe(true);
      viaOffer.push(...body.items.map((i) => i.eventId));
      cursor = body.nextCursor;
    } while (cursor);
    // Even i (OFFER), i % 4 !== 0 (S1), plus record 25: 2, 6, 10, 14, 18, 22, 25.
    expect(viaOffer).toEqual([
      "evt_0025",
      "evt_0022",
      "evt_0018",
      "evt_0014",
      "evt_0010",
      "evt_0006",
      "evt_0002",
    ]);
  });

  it("filters by type and time range [from, to)", async () => {
    const res = await getLog(analyst, {
      type: "sent",
      from: new Date(T0 + 3 * 60_000).toISOString(),
      to: new Date(T0 + 12 * 60_000).toISOString(),
    });
    expect(bodyOf<LogBody>(res).items.map((i) => i.eventId)).toEqual([
      "evt_0009",
      "evt_0006",
      "evt_0003",
    ]);
  });

  it("exports CSV with a header row and RFC 4180 quoting, same records as JSON", async () => {
    const res = await getLog(analyst, { offerId: OFFER }, { accept: "text/csv" });
    expect(res.statusCode).toBe(200);
    expect(res.headers?.["content-type"]).toMatch(/^text\/csv/);
    expect(res.headers?.["x-footfall-truncated"]).toBe("false");
    const csv = res.body ?? "";
    expect(csv.startsWith(`${CONVERSION_CSV_COLUMNS.join(",")}\r\n`)).toBe(true);
    expect(csv).toContain('"quiet ""hours"", night"');
    const json = bodyOf<LogBody>(await getLog(analyst, { offerId: OFFER, limit: "200" }));
    expect(Number(res.headers?.["x-footfall-row-count"])).toBe(json.items.length);
    expect(csv.split("\r\n").length - 2).toBe(json.items.length);
    expect(csv).not.toMatch(/dev_/);
  });

  it("rejects tampered and foreign cursors with 400", async () => {
    const first = bodyOf<LogBody>(await getLog(analyst, { limit: "3" }));
    const cursor = first.nextCursor ?? "";
    const [v, , mac] = cursor.split(".");
    const forged = Buffer.from(JSON.stringify({ pk: `LOG#${B}`, sk: "9999" })).toString(
      "base64url",
    );
    for (const [claims, c] of [
      [analyst, `${v}.${forged}.${mac}`],
      [analyst, `${cursor}x`],
      [merchantClaims(B, "marketing-analyst"), cursor],
    ] as const) {
      const res = await getLog(claims, { limit: "3", cursor: c });
      expect(res.statusCode).toBe(400);
      expect(bodyOf<{ errors: { path: string }[] }>(res).errors[0]?.path).toBe("cursor");
    }
  });
});

describe("tenant and role isolation on every read endpoint", () => {
  it("merchant B gets 404 for A's offer and store, and only its own log (JSON and CSV)", async () => {
    const b = merchantClaims(B, "merchant-admin");
    expect((await getOffer(b, OFFER)).statusCode).toBe(404);
    expect((await getStore(b, S1)).statusCode).toBe(404);
    const log = bodyOf<LogBody>(await getLog(b, { limit: "200" }));
    expect(log.items.map((i) => i.eventId).sort()).toEqual(["evt_0100", "evt_0101", "evt_0102"]);
    // Filtering on A's offer yields nothing for B (B's own partition of the index is empty).
    expect(bodyOf<LogBody>(await getLog(b, { offerId: OFFER })).items).toEqual([]);
    const csv = await getLog(b, { offerId: OFFER }, { accept: "text/csv" });
    expect(csv.body).toBe(`${CONVERSION_CSV_COLUMNS.join(",")}\r\n`);
    const c = merchantClaims(C, "marketing-analyst");
    expect(bodyOf<LogBody>(await getLog(c)).items).toEqual([]);
  });

  it("pos gets 403 on reports, the log and the CSV export; no token is 401", async () => {
    const pos = merchantClaims(A, "pos");
    expect((await getOffer(pos, OFFER)).statusCode).toBe(403);
    expect((await getStore(pos, S1)).statusCode).toBe(403);
    expect((await getLog(pos)).statusCode).toBe(403);
    expect((await getLog(pos, {}, { accept: "text/csv" })).statusCode).toBe(403);
    const anonymous = await listConversions(httpEvent({ path: "/v1/conversions" }), lambdaContext);
    expect(anonymous.statusCode).toBe(401);
  });
});

describe("routes through the local HTTP server", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("serves the report, the log as CSV and the redemption route with merchant tokens", async () => {
    const analystToken = await server.token(A, "marketing-analyst");
    const report = await call(
      `${server.url}/v1/reports/offers/${OFFER}?from=2026-05-01&to=2026-05-03`,
      {
        headers: { authorization: `Bearer ${analystToken}` },
      },
    );
    expect(report.status).toBe(200);
    expect(report.body.totals.funnel.sent).toBe(400);
    const csv = await call(`${server.url}/v1/conversions?type=suppressed`, {
      headers: { authorization: `Bearer ${analystToken}`, accept: "text/csv" },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(String(csv.body).split("\r\n")).toHaveLength(3);
    const storeRes = await call(`${server.url}/v1/reports/stores/${S1}`, {
      headers: await roleHeaders(server, A, "pos"),
    });
    expect(storeRes.status).toBe(403);
    const redeem = await call(`${server.url}/v1/redemptions`, {
      method: "POST",
      headers: { authorization: `Bearer ${analystToken}` },
      body: { code: "2222222222", storeId: S1 },
    });
    expect(redeem.status).toBe(403);
  });
});
