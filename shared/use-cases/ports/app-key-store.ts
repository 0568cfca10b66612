/** Port: AppKeyStore (implemented by shared/adapters/dynamo/app-key-store.ts). */
import type { AppKey } from "../../domain/app-key.ts";

/** Port: registered mobile apps, looked up by the hash of their key. */
export interface AppKeyStore {
  find(key: string): Promise<AppKey | undefined>;
  add(key: string, app: AppKey): Promise<void>;
}
