import middy from "@middy/core";
import { etag, parseIfMatch } from "../shared/domain/catalog/index.ts";
import { merchantSettingsInputSchema } from "../shared/domain/catalog/quiet-hours.ts";
import { http, json, readHeader } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { catalogPrincipal } from "../shared/use-cases/catalog.ts";
import { putMerchantSettings } from "../shared/use-cases/merchant-settings.ts";
import { merchantSettingsDepsFromEnv } from "../shared/wiring/merchant-settings-deps.ts";

const deps = merchantSettingsDepsFromEnv();

/** PUT /v1/merchant/settings — replaces the merchant's settings (If-Match optional). */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 4 * 1024 }))
  .handler(async (event) => {
    const principal = catalogPrincipal(event, "write");
    const ifMatch = parseIfMatch(readHeader(event, "if-match"));
    const input = parseWith(merchantSettingsInputSchema, event.parsedBody);
    const settings = await putMerchantSettings(deps, principal, input, ifMatch);
    return json(200, settings, { etag: etag(settings.version) });
  });
