import { describe, expect, it } from "vitest";
import { mintMerchantToken } from "../../scripts/local/dev-jwt.ts";
import { call, useTestServer } from "../support/local-server.ts";

const server = useTestServer();

describe("requests no route matches", () => {
  it("an unknown path answers problem+json 404, whatever the body", async () => {
    const res = await call(`${server.url}/v1/no-such-thing`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      rawBody: "hello",
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({ status: 404, instance: "/v1/no-such-thing" });
  });

  it("a known path with another method answers 405 with Allow", async () => {
    const res = await call(`${server.url}/v1/devices/me`, { method: "PUT", body: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("allow")).toBe((res.body.allow as string[]).join(", "));
    expect(res.body.allow).toEqual(expect.arrayContaining(["GET", "PATCH", "DELETE"]));
    expect(res.body.allow).not.toContain("PUT");
  });

  it("an expired merchant token says it expired", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await mintMerchantToken(server.jwtKey, {
      merchantId: "m_expired",
      role: "merchant-admin",
      nowSeconds: now - 7200,
      ttlSeconds: 3600,
    });
    const res = await call(`${server.url}/v1/stores`, {
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/expired/);
    const garbage = await call(`${server.url}/v1/stores`, {
      headers: { authorization: "Bearer not-a-token" },
    });
    expect(garbage.status).toBe(401);
    expect(garbage.body.detail).not.toMatch(/expired/);
  });
});
