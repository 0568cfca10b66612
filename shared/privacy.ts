import { createHmac } from "node:crypto";

/**
 * Pseudonymous device id for logs and the conversion log: a keyed HMAC, so ids cannot be reversed
 * or joined across systems without the key, yet stay stable. `scope` (e.g. a merchant id) makes
 * the same device unlinkable across merchants.
 */
export function pseudonymize(key: string, deviceId: string, scope = "log"): string {
  return createHmac("sha256", key)
    .update(`${scope}\u0000${deviceId}`)
    .digest("base64url")
    .slice(0, 22);
}

/**
 * The pseudonym of an app's user (`personRef`): keyed HMAC of app id and user id, scope "person".
 * Registration (user assertions) and merchant audience uploads both derive it here, so an uploaded
 * user id meets the devices that user registered; the raw user id is never stored.
 */
export function personPseudonym(key: string, appId: string, userId: string): string {
  return pseudonymize(key, `${appId}\u0000${userId}`, "person");
}
