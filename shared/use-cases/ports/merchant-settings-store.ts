import type { MerchantSettings } from "../../domain/catalog/quiet-hours.ts";

/** Port: a merchant's settings (catalog table, `MERCHANT#id / SETTINGS`). */
export interface MerchantSettingsStore {
  /** The stored settings, or the defaults at version 0 when the merchant never set any. */
  get(merchantId: string): Promise<MerchantSettings>;
  /** Writes the settings if they are still at `expectedVersion` (0 = never written); 409 else. */
  put(settings: MerchantSettings, expectedVersion: number): Promise<void>;
}
