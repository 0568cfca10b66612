import { randomInt } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { handler as listConversions } from "../../../functions/conversions-list.ts";
import { handler as redeem } from "../../../functions/redemption-create.ts";
import { handler as offerReport } from "../../../functions/report-offer.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { dynamoRedemptionStore } from "../../../shared/adapters/dynamo/redemption-store.ts";
import { localDay } from "../../../shared/domain/decision/local-time.ts";
import { REDEMPTION_CODE_ALPHABET } from "../../../shared/domain/decision/redemption-code.ts";
import { incentiveKeys } from "../../../shared/domain/incentive.ts";
import { attemptWindow, DEFAULT_REDEMPTION_LIMITS } from "../../../shared/use-cases/redemptions.ts";
import { env, uniqueId } from "../../support/aws.ts";
import { bodyOf, httpEvent, lambdaContext, merchantClaims } from "../../support/http-events.ts";
import { problemPaths } from "../../support/validation.ts";
import { putCode, putOffer, putStore } from "./fixtures.ts";

function newCode(): string {
  let code = "";
  for (let i = 0; i < 10; i++)
    code += REDEMPTION_CODE_ALPHABET[randomInt(REDEMPTION_CODE_ALPHABET.length)];
  return code;
}

const A = uniqueId("ma");
const B = uniqueId("mb");
const OFFER = uniqueId("of");
const S1 = uniqueId("st");
const S2 = uniqueId("st");
const S3 = uniqueId("st");

beforeAll(async () => {
  for (const s of [S1, S2, S3]) await putStore(A, s, "Asia/Tokyo");
  await putStore(B, S1);
  await putOffer(A, OFFER, { storeIds: [S1, S2], message: { title: "Free coffee", body: "b" } });
});

async function post(body: unknown, claims: Record<string, string>) {
  return await redeem(
    httpEvent({ method: "POST", path: "/v1/redemptions", body, jwtClaims: claims }),
    lambdaContext,
  );
}

async function issue(patch: Partial<Parameters<typeof putCode>[0]> = {}) {
  const code = newCode();
  const incentiveId = uniqueId("inc");
  await putCode({
    merchantId: A,
    code,
    incentiveId,
    offerId: OFFER,
    storeId: S1,
    storeIds: [S1, S2],
    expiresAtMs: Date.now() + 3_600_000,
    title: "Free coffee",
    ...patch,
  });
  return { code, incentiveId };
}

describe("POST /v1/redemptions against DynamoDB Local", () => {
  it("tills redeeming the same code at once: exactly one 200, every other one 409", async () => {
    const { code, incentiveId } = await issue();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        post(
          { code: i % 2 ? code.toLowerCase() : code, storeId: i % 2 ? S2 : S1 },
          { ...merchantClaims(A, "pos"), sub: `till-${i}` },
        ),
      ),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const ok = results.find((r) => r.statusCode === 200);
    expect(bodyOf(ok)).toMatchObject({
      offerId: OFFER,
      title: "Free coffee",
      incentiveId,
      codeKind: "unique",
    });
    const conflict = results.find((r) => r.statusCode === 409);
    expect(conflict?.headers?.["content-type"]).toBe("application/problem+json");

    const item = await documentClient.send(
      new GetCommand({ TableName: env("INCENTIVES_TABLE"), Key: incentiveKeys.codeClaim(A, code) }),
    );
    expect(item.Item?.status).toBe("redeemed");

    // Exactly one `redeemed` record and one counted redemption.
    const log = await listConversions(
      httpEvent({
        path: "/v1/conversions",
        query: { type: "redeemed", offerId: OFFER },
        jwtClaims: merchantClaims(A, "marketing-analyst"),
      }),
      lambdaContext,
    );
    const records = bodyOf<{ items: { eventId: string; deviceRef: string; localDay: string }[] }>(
      log,
    ).items;
    const mine = records.filter((r) => r.eventId === `redeem:${incentiveId}`);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.deviceRef).toBe(`ref_${incentiveId}`);
    const day = localDay(Date.now(), "Asia/Tokyo");
    expect(mine[0]?.localDay).toBe(day);
    const report = await offerReport(
      httpEvent({
        path: `/v1/reports/offers/${OFFER}`,
        pathParameters: { offerId: OFFER },
        query: { from: day, to: day },
        jwtClaims: merchantClaims(A, "merchant-admin"),
      }),
      lambdaContext,
    );
    expect(report.statusCode).toBe(200);
    expect(
      bodyOf<{ totals: { funnel: { redemptions: number } } }>(report).totals.funnel.redemptions,
    ).toBe(1);
  });

  it("another merchant → 404, a store the offer does not list → 404, expired → 410, reused → 409", async () => {
    const { code } = await issue();
    const other = await post({ code, storeId: S1 }, merchantClaims(B, "pos"));
    expect(other.statusCode).toBe(404);
    const wrongStore = await post({ code, storeId: S3 }, merchantClaims(A, "pos"));
    expect(wrongStore.statusCode).toBe(404);
    expect(bodyOf<{ errors: { path: string }[] }>(wrongStore).errors[0]?.path).toBe("storeId");
    const expired = await issue({ expiresAtMs: Date.now() - 1000 });
    expect(
      (await post({ code: expired.code, storeId: S1 }, merchantClaims(A, "pos"))).statusCode,
    ).toBe(410);
    const used = await issue({ status: "redeemed" });
    expect(
      (await post({ code: used.code, storeId: S1 }, merchantClaims(A, "pos"))).statusCode,
    ).toBe(409);
    // The merchant comes from the token only: a merchantId in the body is an unknown field.
    const smuggled = await post({ code, storeId: S1, merchantId: A }, merchantClaims(B, "pos"));
    expect(smuggled.statusCode).toBe(400);
  });

  it("analysts and admins cannot redeem; a malformed body names the field", async () => {
    const { code } = await issue();
    for (const role of ["marketing-analyst", "merchant-admin"]) {
      expect((await post({ code, storeId: S1 }, merchantClaims(A, role))).statusCode).toBe(403);
    }
    const bad = await post({ code: "", storeId: "nope" }, merchantClaims(A, "pos"));
    expect(bad.statusCode).toBe(400);
    expect(problemPaths(bad)).toEqual(["code", "storeId"]);
    const anonymous = await redeem(
      httpEvent({ method: "POST", path: "/v1/redemptions", body: { code, storeId: S1 } }),
      lambdaContext,
    );
    expect(anonymous.statusCode).toBe(401);
  });

  it("guessed codes: 404 for the first 20 misses, then 429 with Retry-After for that till only", async () => {
    const claims = { ...merchantClaims(A, "pos"), sub: uniqueId("till") };
    const { code } = await issue();
    // Counters live per 15-minute window: do not start right before one ends.
    const { end } = attemptWindow(Date.now(), DEFAULT_REDEMPTION_LIMITS.windowMs);
    if (end - Date.now() < 15_000) await new Promise((r) => setTimeout(r, end - Date.now() + 50));
    for (let i = 0; i < 20; i++) {
      const res = await post({ code: newCode(), storeId: S1 }, claims);
      expect(res.statusCode).toBe(404);
    }
    const blocked = await post({ code, storeId: S1 }, claims);
    expect(blocked.statusCode).toBe(429);
    const retryAfter = Number(blocked.headers?.["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(bodyOf(blocked).retryAfterSeconds).toBe(retryAfter);
    // Another till of the same merchant is unaffected.
    const other = await post(
      { code, storeId: S1 },
      { ...merchantClaims(A, "pos"), sub: uniqueId("till") },
    );
    expect(other.statusCode).toBe(200);
  });

  it("the adapter refuses a second flip and reports the code as it is now", async () => {
    const store = dynamoRedemptionStore(documentClient, {
      incentives: env("INCENTIVES_TABLE"),
      conversions: env("CONVERSIONS_TABLE"),
    });
    const { code } = await issue();
    const found = await store.findCode(A, code);
    expect(found?.storeIds).toEqual([S1, S2]);
    if (!found) throw new Error("fixture missing");
    const now = Date.now();
    const write = (eventId: string) => ({
      record: {
        eventId,
        type: "redeemed" as const,
        merchantId: A,
        offerId: OFFER,
        storeId: S1,
        deviceRef: found.deviceRef,
        at: now,
        localDay: "2026-05-01",
        incentiveId: found.incentiveId,
      },
      recordExpiresAt: Math.ceil(now / 1000) + 60,
    });
    expect(await store.redeem(found, S1, now, write("e1"))).toEqual({ kind: "redeemed" });
    const second = await store.redeem(found, S1, now, write("e2"));
    expect(second.kind).toBe("refused");
    expect(second.kind === "refused" ? second.current?.status : undefined).toBe("redeemed");
  });
});
