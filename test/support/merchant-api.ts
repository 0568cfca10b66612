import { expect } from "vitest";
import type { Role } from "../../shared/auth/principal.ts";
import { call, type TestServer } from "./local-server.ts";

/** The `authorization` header of a token of the merchant's `role` on the test server. */
export async function roleHeaders(
  server: TestServer,
  merchantId: string,
  role: Role,
): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await server.token(merchantId, role)}` };
}

/** The `authorization` header of a merchant admin's token on the test server. */
export function adminHeaders(
  server: TestServer,
  merchantId: string,
): Promise<{ authorization: string }> {
  return roleHeaders(server, merchantId, "merchant-admin");
}

/**
 * Creates a store through `POST /v1/stores` as the merchant's admin: `name`, located at `at`
 * with a circular footprint of `radiusM` metres around it, plus `extra` fields. Expects 201 and
 * returns the new store's id.
 */
export async function createCircleStore(
  server: TestServer,
  merchantId: string,
  store: { name: string; at: { lat: number; lon: number }; radiusM: number },
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await call(`${server.url}/v1/stores`, {
    method: "POST",
    headers: await adminHeaders(server, merchantId),
    body: {
      name: store.name,
      location: store.at,
      footprint: { type: "Circle", center: store.at, radiusM: store.radiusM },
      ...extra,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.storeId as string;
}

const DAY_MS = 86_400_000;

/**
 * An offer body that is live now: triggered on entering 400 m around each of `storeIds`, valid
 * from yesterday for 30 days, unique codes valid 48 h, a 24 h attribution window and no holdout;
 * `fields` (name and message at least) add to it or override it.
 */
export function liveOfferBody(
  storeIds: string[],
  fields: Record<string, unknown> & { name: string; message: Record<string, unknown> },
): Record<string, unknown> {
  return {
    storeIds,
    triggerZone: { type: "StoreRadius", radiusM: 400 },
    trigger: { on: "enter" },
    validFrom: new Date(Date.now() - DAY_MS).toISOString(),
    validTo: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    holdoutPercent: 0,
    attributionWindowHours: 24,
    redemption: { codeKind: "unique", expiresAfterHours: 48 },
    ...fields,
  };
}

/** Creates an offer through `POST /v1/offers` as the merchant's admin; expects 201, returns its id. */
export async function createOffer(
  server: TestServer,
  merchantId: string,
  body: Record<string, unknown>,
): Promise<string> {
  const res = await call(`${server.url}/v1/offers`, {
    method: "POST",
    headers: await adminHeaders(server, merchantId),
    body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.offerId as string;
}
