import { catalogHandler } from "../shared/http/route-handler.ts";
import { putMerchantSettingsRoute } from "../shared/http/routes/merchant-settings.ts";
import { putMerchantSettings } from "../shared/use-cases/merchant-settings.ts";
import { merchantSettingsDepsFromEnv } from "../shared/wiring/merchant-settings-deps.ts";

const deps = merchantSettingsDepsFromEnv();

/** PUT /v1/merchant/settings — replaces the merchant's settings (If-Match optional). */
export const handler = catalogHandler.replace(putMerchantSettingsRoute, (req, input) =>
  putMerchantSettings(deps, req.principal, input, req.ifMatch),
);
