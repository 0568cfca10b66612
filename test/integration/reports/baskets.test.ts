import { randomInt } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { handler as listConversions } from "../../../functions/conversions-list.ts";
import { handler as redeem } from "../../../functions/redemption-create.ts";
import { handler as offerReport } from "../../../functions/report-offer.ts";
import { REDEMPTION_CODE_ALPHABET } from "../../../shared/domain/decision/redemption-code.ts";
import { uniqueId } from "../../support/aws.ts";
import { bodyOf, httpEvent, lambdaContext, merchantClaims } from "../../support/http-events.ts";
import { putCode, putOffer, putStore } from "./fixtures.ts";

const A = uniqueId("ma");
const OFFER = uniqueId("of");
const S1 = uniqueId("st");

function newCode(): string {
  let code = "";
  for (let i = 0; i < 10; i++)
    code += REDEMPTION_CODE_ALPHABET[randomInt(REDEMPTION_CODE_ALPHABET.length)];
  return code;
}

async function issue() {
  const code = newCode();
  await putCode({
    merchantId: A,
    code,
    incentiveId: uniqueId("inc"),
    offerId: OFFER,
    storeId: S1,
    storeIds: [S1],
    expiresAtMs: Date.now() + 3_600_000,
  });
  return code;
}

async function post(body: unknown) {
  return await redeem(
    httpEvent({
      method: "POST",
      path: "/v1/redemptions",
      body,
      jwtClaims: merchantClaims(A, "pos"),
    }),
    lambdaContext,
  );
}

beforeAll(async () => {
  await putStore(A, S1);
  await putOffer(A, OFFER, {
    storeIds: [S1],
    currency: "EUR",
    costPerSend: "0.05",
    incentiveValue: "2.00",
  });
});

describe("basket amounts at redemption (DynamoDB Local)", () => {
  it("counts baskets in minor units, refuses another currency, and reports the average", async () => {
    for (const amount of ["23.50", "16.50"]) {
      const res = await post({
        code: await issue(),
        storeId: S1,
        basket: { amount, currency: "EUR" },
      });
      expect(res.statusCode).toBe(200);
      expect(bodyOf(res)).toMatchObject({ basket: { amount, currency: "EUR" } });
    }
    const wrong = await issue();
    const usd = await post({ code: wrong, storeId: S1, basket: { amount: "10", currency: "USD" } });
    expect(usd.statusCode).toBe(400);
    expect(bodyOf<{ errors: { path: string }[] }>(usd).errors[0]?.path).toBe("basket/currency");
    const tooPrecise = await post({
      code: wrong,
      storeId: S1,
      basket: { amount: "1.005", currency: "EUR" },
    });
    expect(tooPrecise.statusCode).toBe(400);
    // The refused code is still good: nothing was written for it.
    expect((await post({ code: wrong, storeId: S1 })).statusCode).toBe(200);

    const today = new Date().toISOString().slice(0, 10);
    const report = await offerReport(
      httpEvent({
        path: `/v1/reports/offers/${OFFER}`,
        pathParameters: { offerId: OFFER },
        jwtClaims: merchantClaims(A, "marketing-analyst"),
      }),
      lambdaContext,
    );
    // biome-ignore lint/suspicious/noExplicitAny: report JSON
    const r = bodyOf<any>(report);
    expect(r.to >= today).toBe(true);
    expect(r.totals.funnel.redemptions).toBe(3);
    expect(r.totals.funnel.baskets).toBe(2);
    // 3 redemptions × 2.00; no sends.
    expect(r.totals.money.spend).toBe("6.00");
    expect(r.totals.money.incrementalRevenue).toMatchObject({ averageBasket: "20.00", baskets: 2 });

    const log = await listConversions(
      httpEvent({
        path: "/v1/conversions",
        query: { offerId: OFFER, type: "redeemed" },
        jwtClaims: merchantClaims(A, "marketing-analyst"),
      }),
      lambdaContext,
    );
    const amounts = bodyOf<{ items: { basketAmount: string | null }[] }>(log)
      .items.map((i) => i.basketAmount)
      .sort();
    expect(amounts).toEqual(["16.50", "23.50", null].sort());
  });
});
