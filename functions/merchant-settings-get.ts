import middy from "@middy/core";
import { etag } from "../shared/domain/catalog/index.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal } from "../shared/use-cases/catalog.ts";
import { getMerchantSettings } from "../shared/use-cases/merchant-settings.ts";
import { merchantSettingsDepsFromEnv } from "../shared/wiring/merchant-settings-deps.ts";

const deps = merchantSettingsDepsFromEnv();

/** GET /v1/merchant/settings — the merchant's settings (quiet hours), with the defaults. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "read");
    const settings = await getMerchantSettings(deps, principal);
    return json(200, settings, { etag: etag(settings.version) });
  });
