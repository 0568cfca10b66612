import type { AppKeyStore } from "../adapters/dynamo/app-key-store.ts";
import { APP_KEY_PREFIX } from "../domain/app-key.ts";
import type { Clock, Random } from "../ports.ts";

/**
 * Creates an app key for a mobile app. The plaintext is returned exactly once; only its hash is
 * stored, so a leaked table does not leak keys.
 */
export async function createAppKey(
  deps: { appKeys: AppKeyStore; clock: Clock; random: Random },
  name: string,
): Promise<{ appId: string; name: string; appKey: string }> {
  const appKey = `${APP_KEY_PREFIX}${Buffer.from(deps.random.bytes(32)).toString("base64url")}`;
  const appId = deps.random.id("app");
  await deps.appKeys.add(appKey, {
    appId,
    name,
    createdAt: new Date(deps.clock.now()).toISOString(),
  });
  return { appId, name, appKey };
}
