import { expect } from "vitest";
import { call, type TestServer } from "./local-server.ts";

/** The `authorization` header of a merchant admin's token on the test server. */
export async function adminHeaders(
  server: TestServer,
  merchantId: string,
): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await server.token(merchantId, "merchant-admin")}` };
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
