import { APP_KEY_PREFIX, appServerSecret } from "../domain/app-key.ts";
import type { Clock, Random } from "../ports.ts";
import type { AppKeyStore } from "./ports/app-key-store.ts";

/**
 * Creates an app: its public app key (shipped inside the mobile app) and its server secret (kept
 * on the app's backend: it signs user assertions). Both are returned exactly once; only the app
 * key's hash is stored and the server secret is derived from `masterKey` (see `appServerSecret`),
 * so a leaked table leaks neither.
 */
export async function createAppKey(
  deps: {
    appKeys: AppKeyStore;
    clock: Clock;
    random: Random;
    /** The deployment's PSEUDONYM_KEY; without it the app gets no server secret. */
    masterKey?: string | undefined;
  },
  name: string,
): Promise<{ appId: string; name: string; appKey: string; serverSecret?: string }> {
  const appKey = `${APP_KEY_PREFIX}${Buffer.from(deps.random.bytes(32)).toString("base64url")}`;
  const appId = deps.random.id("app");
  const withSecret = deps.masterKey !== undefined && deps.masterKey !== "";
  await deps.appKeys.add(appKey, {
    appId,
    name,
    createdAt: new Date(deps.clock.now()).toISOString(),
    ...(withSecret ? { secretGeneration: 1 } : {}),
  });
  return {
    appId,
    name,
    appKey,
    ...(withSecret ? { serverSecret: appServerSecret(deps.masterKey ?? "", appId, 1) } : {}),
  };
}
