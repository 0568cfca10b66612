import { createHmac, randomUUID } from "node:crypto";
import { DEVICE_TOKEN_AUDIENCE, DEVICE_TOKEN_ISSUER } from "../../shared/auth/device-token.ts";
import type { HttpEvent } from "../../shared/http/types.ts";

/**
 * A device token for `deviceId` exactly as registration issues one (HS256, signed with the
 * environment's newest `DEVICE_TOKEN_SECRETS` key), built synchronously for event builders.
 * `iat`/`exp` in epoch seconds; `secret` overrides the key (a forged token).
 */
export function deviceToken(
  deviceId: string,
  options: { iat?: number; exp?: number; secret?: string } = {},
): string {
  const secret = options.secret ?? process.env.DEVICE_TOKEN_SECRETS?.split(",")[0]?.trim();
  if (!secret) throw new Error("DEVICE_TOKEN_SECRETS is not set");
  const iat = options.iat ?? Math.floor(Date.now() / 1000);
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const signed = `${part({ alg: "HS256", typ: "JWT" })}.${part({
    iss: DEVICE_TOKEN_ISSUER,
    aud: DEVICE_TOKEN_AUDIENCE,
    sub: deviceId,
    iat,
    exp: options.exp ?? iat + 3600,
  })}`;
  return `${signed}.${createHmac("sha256", secret).update(signed).digest("base64url")}`;
}

export interface EventOptions {
  method?: string;
  path?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  jwtClaims?: Record<string, string>;
  device?: Record<string, string | number | boolean>;
}

/** Builds an HTTP API v2 event the way API Gateway delivers it to a handler. */
export function httpEvent(options: EventOptions = {}): HttpEvent {
  const method = options.method ?? "GET";
  const path = options.path ?? "/";
  const body =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  // A device's request carries its token too: POST /v1/pings verifies it in the function.
  const deviceId = options.device?.deviceId;
  const bearer: Record<string, string> =
    typeof deviceId === "string" && process.env.DEVICE_TOKEN_SECRETS
      ? { authorization: `Bearer ${deviceToken(deviceId)}` }
      : {};
  const headers: Record<string, string> = {
    ...(body !== undefined ? { "content-type": "application/json" } : {}),
    ...bearer,
    ...options.headers,
  };
  const now = Date.now();
  return {
    version: "2.0",
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers,
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    requestContext: {
      accountId: "000000000000",
      apiId: "test",
      domainName: "test.local",
      domainPrefix: "test",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "vitest" },
      requestId: randomUUID(),
      routeKey: `${method} ${path}`,
      stage: "$default",
      time: new Date(now).toISOString(),
      timeEpoch: now,
      ...(options.jwtClaims
        ? { authorizer: { jwt: { claims: options.jwtClaims, scopes: null } } }
        : options.device
          ? { authorizer: { lambda: options.device } }
          : {}),
    },
    isBase64Encoded: false,
    ...(body !== undefined ? { body } : {}),
  };
}

/** JWT claims as API Gateway passes them for a merchant-side caller. */
export function merchantClaims(merchantId: string, role: string): Record<string, string> {
  return {
    sub: `${role}@${merchantId}`,
    "custom:merchantId": merchantId,
    "cognito:groups": `[${role}]`,
    token_use: "id",
    iat: String(Math.floor(Date.now() / 1000)),
  };
}

export const lambdaContext = {
  awsRequestId: "test-request",
  functionName: "test",
  getRemainingTimeInMillis: () => 10_000,
} as never;

/** Parses a handler result body. */
export function bodyOf<T = Record<string, unknown>>(
  result: { body?: string | undefined } | undefined,
): T {
  return JSON.parse(result?.body ?? "null") as T;
}

/**
 * `POST /v1/devices` with the app key: an iOS install consenting to location and marketing,
 * `body` adding to it or overriding it.
 */
export function registrationEvent(appKey: string, body: Record<string, unknown> = {}): HttpEvent {
  return httpEvent({
    method: "POST",
    path: "/v1/devices",
    headers: { "x-app-key": appKey },
    body: { platform: "ios", consent: { location: true, marketing: true }, ...body },
  });
}
