import { randomInt } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";

// Metrics are off in the test environment; this file turns them on before the handler (and so
// the metrics singleton) is loaded. Each test file has its own module graph.
process.env.POWERTOOLS_METRICS_DISABLED = "false";
const { handler: redeem } = await import("../../../functions/redemption-create.ts");
const { REDEMPTION_CODE_ALPHABET } = await import(
  "../../../shared/domain/decision/redemption-code.ts"
);
const { uniqueId } = await import("../../support/aws.ts");
const { httpEvent, lambdaContext, merchantClaims } = await import("../../support/http-events.ts");
const { putCode, putOffer, putStore } = await import("./fixtures.ts");

const A = uniqueId("mm");
const OFFER = uniqueId("of");
const STORE = uniqueId("st");

beforeAll(async () => {
  await putStore(A, STORE);
  await putOffer(A, OFFER, { storeIds: [STORE], message: { title: "Free tea", body: "b" } });
});

async function issue(): Promise<string> {
  let code = "";
  for (let i = 0; i < 10; i++)
    code += REDEMPTION_CODE_ALPHABET[randomInt(REDEMPTION_CODE_ALPHABET.length)];
  await putCode({
    merchantId: A,
    code,
    incentiveId: uniqueId("inc"),
    offerId: OFFER,
    storeId: STORE,
    storeIds: [STORE],
    expiresAtMs: Date.now() + 3_600_000,
    title: "Free tea",
  });
  return code;
}

/** The EMF lines (CloudWatch embedded metric format) printed while one redemption runs. */
async function emfOf(code: string) {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  });
  let status: number | undefined;
  try {
    const result = await redeem(
      httpEvent({
        method: "POST",
        path: "/v1/redemptions",
        body: { code, storeId: STORE },
        jwtClaims: merchantClaims(A, "pos"),
      }),
      lambdaContext,
    );
    status = result.statusCode;
  } finally {
    spy.mockRestore();
  }
  const emf = chunks
    .join("")
    .split("\n")
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: unknown });
  return { status, emf };
}

describe("Redemptions metric (POST /v1/redemptions on DynamoDB Local)", () => {
  it("a committed redemption prints one EMF line with Redemptions = 1; a reused code none", async () => {
    const code = await issue();
    const first = await emfOf(code);
    expect(first.status).toBe(200);
    expect(first.emf).toHaveLength(1);
    expect(first.emf[0]).toMatchObject({ Redemptions: 1, service: "footfall" });
    const metricNames = JSON.stringify(first.emf[0]?._aws);
    expect(metricNames).toContain('"Namespace":"Footfall"');
    expect(metricNames).toContain('"Name":"Redemptions"');

    // The same code again is a 409: no redemption committed, nothing counted.
    const again = await emfOf(code);
    expect(again.status).toBe(409);
    expect(again.emf.filter((line) => "Redemptions" in line)).toEqual([]);
  });
});
