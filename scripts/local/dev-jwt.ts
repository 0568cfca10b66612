import { randomBytes, type webcrypto } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from "jose";
import { IAT_SKEW_SECONDS, type Role } from "../../shared/auth/principal.ts";

/** What the local runner checks, mirroring the API Gateway JWT authorizer's issuer/audience. */
export const DEV_JWT_ISSUER = "https://footfall.local/dev-issuer";
export const DEV_JWT_AUDIENCE = "footfall-api";

export interface DevSigningKey {
  privateKey: webcrypto.CryptoKey;
  publicKey: webcrypto.CryptoKey;
  kid: string;
}

/** Generates a fresh ES256 key pair (tests use throwaway keys). */
export async function generateDevKey(kid = "dev-1"): Promise<DevSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  return { privateKey, publicKey, kid };
}

/**
 * Loads the local dev signing key from `path`, creating it on first use, so tokens printed by
 * `npm start` keep working across restarts. It signs nothing outside this machine.
 */
export async function loadOrCreateDevKey(path: string): Promise<DevSigningKey> {
  if (existsSync(path)) {
    const stored = JSON.parse(readFileSync(path, "utf8")) as {
      kid: string;
      privateJwk: JWK;
      publicJwk: JWK;
    };
    return {
      kid: stored.kid,
      privateKey: (await importJWK(stored.privateJwk, "ES256")) as webcrypto.CryptoKey,
      publicKey: (await importJWK(stored.publicJwk, "ES256")) as webcrypto.CryptoKey,
    };
  }
  const key = await generateDevKey();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    JSON.stringify({
      kid: key.kid,
      privateJwk: await exportJWK(key.privateKey),
      publicJwk: await exportJWK(key.publicKey),
    }),
    { mode: 0o600 },
  );
  return key;
}

export interface MintOptions {
  merchantId: string;
  role: Role;
  /** Default: a fresh `role@merchant#random` per token, so every minted token is its own identity. */
  subject?: string;
  /** Test hooks: the exact `cognito:groups` and `token_use` to sign (default `[role]`, `id`). */
  groups?: unknown;
  tokenUse?: string;
  /** Issue time (epoch s) when it should differ from `nowSeconds`. */
  issuedAt?: number;
  ttlSeconds?: number;
  audience?: string;
  nowSeconds?: number;
}

/** Mints a merchant-side token shaped like a Cognito ID token (groups + custom:merchantId). */
export async function mintMerchantToken(key: DevSigningKey, options: MintOptions): Promise<string> {
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const subject =
    options.subject ??
    `${options.role}@${options.merchantId}#${randomBytes(6).toString("base64url")}`;
  return await new SignJWT({
    "custom:merchantId": options.merchantId,
    "cognito:groups": options.groups ?? [options.role],
    token_use: options.tokenUse ?? "id",
  })
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" })
    .setIssuer(DEV_JWT_ISSUER)
    .setAudience(options.audience ?? DEV_JWT_AUDIENCE)
    .setSubject(subject)
    .setIssuedAt(options.issuedAt ?? now)
    .setExpirationTime(now + (options.ttlSeconds ?? 12 * 3600))
    .sign(key.privateKey);
}

/**
 * The local stand-in for API Gateway's JWT authorizer: signature, issuer, audience, expiry,
 * `nbf`, and `iat` not in the future (beyond `IAT_SKEW_SECONDS`), as the gateway documents.
 * Returns the verified payload; the server flattens it the way the HTTP API v2 event carries it.
 */
export async function verifyMerchantToken(
  key: DevSigningKey,
  token: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<JWTPayload | undefined> {
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      issuer: DEV_JWT_ISSUER,
      audience: DEV_JWT_AUDIENCE,
      algorithms: ["ES256"],
      currentDate: new Date(nowSeconds * 1000),
      requiredClaims: ["iat", "exp", "sub"],
    });
    if (typeof payload.iat !== "number" || payload.iat > nowSeconds + IAT_SKEW_SECONDS) {
      return undefined;
    }
    return payload;
  } catch {
    return undefined;
  }
}
