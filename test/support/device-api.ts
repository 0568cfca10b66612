import { SignJWT } from "jose";
import { expect } from "vitest";
import { daytimeZone } from "../../scripts/local/daytime.ts";
import { offsetM } from "./geo.ts";
import { call, type TestServer } from "./local-server.ts";

/** How a test sends a JSON request: {@link call}, or `callFrom` bound to a source address. */
export type Send = (
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown },
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
) => Promise<{ status: number; body: any }>;

/**
 * A user assertion as the app's backend signs it (HS256 JWT, audience `footfall`, subject the
 * app's user id), valid for `ttl` seconds (default 300) from `iat` (default now). The options
 * forge a wrong secret or issuer, or add trusted segments.
 */
export async function userAssertion(
  server: TestServer,
  userId: string,
  options: { secret?: string; iss?: string; ttl?: number; iat?: number; segments?: string[] } = {},
): Promise<string> {
  const iat = options.iat ?? Math.floor(Date.now() / 1000);
  return await new SignJWT(options.segments ? { segments: options.segments } : {})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(options.iss ?? server.appId)
    .setAudience("footfall")
    .setSubject(userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.ttl ?? 300))
    .sign(new TextEncoder().encode(options.secret ?? server.serverSecret));
}

/**
 * Registers a device with the server's app key through `POST /v1/devices`: Android, location and
 * marketing consent, a time zone where it is daytime, unless `body` says otherwise. Expects 201.
 */
export async function registerDevice(
  server: TestServer,
  body: Record<string, unknown> = {},
  send: Send = call,
): Promise<{ token: string; deviceId: string }> {
  const reg = await send(`${server.url}/v1/devices`, {
    method: "POST",
    headers: { "x-app-key": server.appKey },
    body: {
      platform: "android",
      consent: { location: true, marketing: true },
      timeZone: daytimeZone(),
      ...body,
    },
  });
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  return { token: reg.body.token as string, deviceId: reg.body.device.deviceId as string };
}

/**
 * Posts one walking ping 150 m east of `at` (accuracy 15 m, a minute old) with the device's
 * token; expects 202 and returns the incentives the response carried.
 */
export async function pingNear(
  server: TestServer,
  token: string,
  at: { lat: number; lon: number },
): Promise<{ code: string }[]> {
  const near = offsetM(at, 150, 0);
  const ping = await call(`${server.url}/v1/pings`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: { pings: [{ ...near, accuracyM: 15, timestamp: Date.now() - 60_000, speedMps: 1.2 }] },
  });
  expect(ping.status).toBe(202);
  return ping.body.incentives as { code: string }[];
}

/**
 * `PATCH /v1/devices/me` with the device's bearer `headers`: `body` (consent, segments...) merged
 * into its record. Returns the answer unchecked.
 */
export function patchMe(
  server: TestServer,
  headers: Record<string, string>,
  body: Record<string, unknown>,
) {
  return call(`${server.url}/v1/devices/me`, { method: "PATCH", headers, body });
}
