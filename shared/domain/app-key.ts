import { createHash } from "node:crypto";

/** App keys identify a mobile app at device registration; only their SHA-256 is stored. */
export interface AppKey {
  appId: string;
  name: string;
  createdAt: string;
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
