import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoMerchantSettingsStore } from "../adapters/dynamo/merchant-settings-store.ts";
import { systemClock } from "../adapters/system.ts";
import { tablesFromEnv } from "../config/table-vars.ts";
import type { MerchantSettingsDeps } from "../use-cases/merchant-settings.ts";

/** Dependencies of the merchant settings routes, built once per cold start. */
export function merchantSettingsDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): MerchantSettingsDeps {
  const { catalog } = tablesFromEnv(env, "catalog");
  return { settings: dynamoMerchantSettingsStore(documentClient, catalog), clock: systemClock };
}
