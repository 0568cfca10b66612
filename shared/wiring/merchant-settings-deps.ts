import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoMerchantSettingsStore } from "../adapters/dynamo/merchant-settings-store.ts";
import { systemClock } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import type { MerchantSettingsDeps } from "../use-cases/merchant-settings.ts";

/** Dependencies of the merchant settings routes, built once per cold start. */
export function merchantSettingsDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): MerchantSettingsDeps {
  const config = readConfig(z.object({ CATALOG_TABLE: configVars.tableName }), env);
  return {
    settings: dynamoMerchantSettingsStore(documentClient, config.CATALOG_TABLE),
    clock: systemClock,
  };
}
