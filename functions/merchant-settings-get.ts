import { catalogHandler } from "../shared/http/route-handler.ts";
import { getMerchantSettingsRoute } from "../shared/http/routes/merchant-settings.ts";
import { getMerchantSettings } from "../shared/use-cases/merchant-settings.ts";
import { merchantSettingsDepsFromEnv } from "../shared/wiring/merchant-settings-deps.ts";

const deps = merchantSettingsDepsFromEnv();

/** GET /v1/merchant/settings — the merchant's settings (quiet hours), with the defaults. */
export const handler = catalogHandler.get(getMerchantSettingsRoute, (req) =>
  getMerchantSettings(deps, req.principal),
);
