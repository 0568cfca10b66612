import { createSecretKey, type KeyObject } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { UnauthorizedError } from "../errors.ts";

export const DEVICE_TOKEN_ISSUER = "footfall";
export const DEVICE_TOKEN_AUDIENCE = "footfall-device";

/**
 * Signing keys for device tokens. The first key signs; every key verifies, so a secret can be
 * rotated by prepending a new one and dropping the old one after tokens have been refreshed.
 */
export interface DeviceTokenKeys {
  secrets: string[];
  ttlSeconds: number;
}

/** Parses `DEVICE_TOKEN_SECRETS` (comma-separated, newest first). */
export function deviceTokenKeys(secretsCsv: string, ttlSeconds: number): DeviceTokenKeys {
  const secrets = secretsCsv
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (secrets.length === 0) throw new Error("DEVICE_TOKEN_SECRETS holds no secret");
  return { secrets, ttlSeconds };
}

/**
 * Device token keys that follow a rotating `DEVICE_TOKEN_SECRETS` (read at each use, see
 * shared/config/load-secrets.ts; parsed again only when the value changed), so a key prepended
 * or dropped in Secrets Manager applies to warm instances within the secret's max age.
 */
export function rotatingDeviceTokenKeys(
  secretsCsv: () => string,
  ttlSeconds: number,
): DeviceTokenKeys {
  let current = { csv: secretsCsv(), keys: deviceTokenKeys(secretsCsv(), ttlSeconds) };
  return {
    get secrets() {
      const csv = secretsCsv();
      if (csv !== current.csv) current = { csv, keys: deviceTokenKeys(csv, ttlSeconds) };
      return current.keys.secrets;
    },
    ttlSeconds,
  };
}

function fingerprint(secret: string): string {
  // Stable short id derived from the secret itself, so a rotation needs no extra config.
  let h = 0x811c9dc5;
  for (let i = 0; i < secret.length; i++) {
    h ^= secret.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** Issues a signed device token (HS256, jose) whose subject is the device id. */
export async function issueDeviceToken(
  keys: DeviceTokenKeys,
  deviceId: string,
  nowSeconds: number,
): Promise<{ token: string; expiresAt: number }> {
  const secret = keys.secrets[0];
  if (!secret) throw new Error("no signing secret");
  const expiresAt = nowSeconds + keys.ttlSeconds;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: fingerprint(secret) })
    .setIssuer(DEVICE_TOKEN_ISSUER)
    .setAudience(DEVICE_TOKEN_AUDIENCE)
    .setSubject(deviceId)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));
  return { token, expiresAt };
}

/** The one answer to every device token refusal that is not a genuine token past its `exp`. */
export const INVALID_DEVICE_TOKEN = "The device token is invalid or expired.";

const verificationKeys = new Map<string, KeyObject>();

/**
 * The HMAC key of a secret, imported once per instance: handing jose raw bytes makes it import
 * the key again on every verification, a large share of the authorizer's CPU per request.
 */
function verificationKey(secret: string): KeyObject {
  let key = verificationKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, "utf8"));
    verificationKeys.set(secret, key);
  }
  return key;
}

/**
 * Verifies a device token's signature, issuer, audience and expiry and returns the device id.
 * A token this stage signed for its own issuer and audience whose `exp` has passed is refused as
 * expired, naming the time (only a holder of a genuinely issued token can learn that: jose checks
 * the signature, then `iss` and `aud`, before `exp`); every other failure is the same 401, so a
 * forger learns nothing about why.
 *
 * @throws UnauthorizedError "The device token expired at <ISO 8601>; register the device again
 *   (POST /v1/devices)." or "The device token is invalid or expired."
 */
export async function verifyDeviceToken(
  keys: DeviceTokenKeys,
  token: string,
  nowSeconds: number,
): Promise<{ deviceId: string; issuedAt: number }> {
  for (const secret of keys.secrets) {
    try {
      const { payload } = await jwtVerify(token, verificationKey(secret), {
        issuer: DEVICE_TOKEN_ISSUER,
        audience: DEVICE_TOKEN_AUDIENCE,
        algorithms: ["HS256"],
        currentDate: new Date(nowSeconds * 1000),
      });
      if (typeof payload.sub !== "string" || payload.sub === "") break;
      return { deviceId: payload.sub, issuedAt: payload.iat ?? 0 };
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) continue;
      const exp = error instanceof errors.JWTExpired ? error.payload.exp : undefined;
      if (error instanceof errors.JWTExpired && error.claim === "exp" && typeof exp === "number") {
        throw new UnauthorizedError(
          `The device token expired at ${new Date(exp * 1000).toISOString()}; ` +
            "register the device again (POST /v1/devices).",
        );
      }
      break;
    }
  }
  throw new UnauthorizedError(INVALID_DEVICE_TOKEN);
}

/** Extracts the bearer token from an Authorization header value. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  return match?.[1];
}
