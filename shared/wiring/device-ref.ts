import { currentSecret } from "../config/load-secrets.ts";
import { pseudonymize } from "../privacy.ts";

/**
 * A device's pseudonymous reference for one merchant (what the conversion log holds), keyed
 * with the current `PSEUDONYM_KEY` of `env` (a rotated key is picked up without a cold start).
 */
export function deviceRefFromEnv(
  env: Record<string, string | undefined>,
): (deviceId: string, merchantId: string) => string {
  const pseudonymKey = currentSecret(env, "PSEUDONYM_KEY");
  return (deviceId, merchantId) => pseudonymize(pseudonymKey(), deviceId, merchantId);
}
