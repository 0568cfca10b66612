/**
 * Routes of the merchant's settings (default quiet hours), apart from the catalog routes: the
 * settings functions then bundle neither the catalog's geometry nor its time zone map.
 */
import { CATALOG_READ_ROLES, CATALOG_WRITE_ROLES } from "../../auth/principal.ts";
import { merchantSettingsInputSchema } from "../../domain/catalog/quiet-hours.ts";
import { merchantSettingsViewSchema } from "../../openapi/merchant-settings-views.ts";
import { defineRoute } from "../route-contract.ts";
import { ETAG, ifMatchHeader, problems, WRITE_PROBLEMS } from "./common.ts";

export const getMerchantSettingsRoute = defineRoute({
  method: "GET",
  path: "/v1/merchant/settings",
  fn: "merchant-settings-get",
  auth: "jwt",
  roles: CATALOG_READ_ROLES,
  operationId: "getMerchantSettings",
  tag: "merchant",
  summary: "The merchant's settings (default quiet hours)",
  description:
    "Quiet hours every offer of the merchant uses unless it sets its own; `version` 0 means " +
    "never set (the platform default 21:00–08:00 on the device's clock applies).",
  responses: {
    200: { description: "The settings", schema: merchantSettingsViewSchema, headers: ETAG },
    ...problems(401, 403),
  },
});

export const putMerchantSettingsRoute = defineRoute({
  method: "PUT",
  path: "/v1/merchant/settings",
  fn: "merchant-settings-put",
  auth: "jwt",
  roles: CATALOG_WRITE_ROLES,
  operationId: "putMerchantSettings",
  tag: "merchant",
  summary: "Replace the merchant's settings",
  bodyLimit: 4 * 1024,
  request: { headers: ifMatchHeader, body: merchantSettingsInputSchema },
  responses: {
    200: { description: "Replaced", schema: merchantSettingsViewSchema, headers: ETAG },
    ...problems(...WRITE_PROBLEMS, 409),
  },
});
