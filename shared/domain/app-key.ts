import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** App keys identify a mobile app at device registration; only their SHA-256 is stored. */
export interface AppKey {
  appId: string;
  name: string;
  createdAt: string;
  /**
   * Generation of the app's server secret (see `appServerSecret`); bumping it rotates the secret.
   * Absent for apps created before server secrets existed: they have none until rotated.
   */
  secretGeneration?: number | undefined;
}

export const APP_SECRET_PREFIX = "ffs_";

/**
 * The app's server-side secret: it lives on the app's backend only (never in the app), signs user
 * assertions (HS256) and authenticates server-to-server calls. It is DERIVED, not stored:
 * `ffs_` + base64url(HMAC-SHA256(masterKey, "app-server-secret" ‖ appId ‖ generation)), so the
 * table holds neither the secret nor anything it can be recovered from, yet the API can verify
 * an HS256 signature made with it. `masterKey` is the deployment's PSEUDONYM_KEY (Secrets
 * Manager); the NUL separators keep fields apart.
 */
export function appServerSecret(masterKey: string, appId: string, generation: number): string {
  const mac = createHmac("sha256", masterKey)
    .update(`app-server-secret\u0000${appId}\u0000${generation}`)
    .digest("base64url");
  return `${APP_SECRET_PREFIX}${mac}`;
}

/** Constant-time comparison of a presented server secret with the expected one. */
export function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

export const APP_KEY_PREFIX = "ffk_";

/**
 * App keys are 256 random bits, so a fast hash is enough (no password stretching needed) and
 * lookups stay one GetItem.
 */
export function hashAppKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export const appKeyKeys = {
  byHash: (hash: string) => ({ pk: `APPKEY#${hash}`, sk: "APPKEY" }),
};
