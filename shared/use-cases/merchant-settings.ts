import {
  CATALOG_READ_ROLES,
  CATALOG_WRITE_ROLES,
  type MerchantPrincipal,
  requireRole,
} from "../auth/principal.ts";
import {
  type MerchantSettings,
  type MerchantSettingsInput,
  PLATFORM_QUIET_HOURS,
} from "../domain/catalog/quiet-hours.ts";
import { DEFAULT_JOURNEY_SETTINGS, effectiveJourneySettings } from "../domain/journey/settings.ts";
import { ConflictError } from "../errors.ts";
import type { Clock } from "../ports.ts";
import type { MerchantSettingsStore } from "./ports/merchant-settings-store.ts";

export interface MerchantSettingsDeps {
  settings: MerchantSettingsStore;
  clock: Clock;
}

/** The settings as the API returns them; `version` 0 = never set (platform defaults). */
export function settingsView(settings: MerchantSettings) {
  return {
    quietHours: settings.quietHours,
    journey: effectiveJourneySettings(settings.journey),
    defaults: { quietHours: PLATFORM_QUIET_HOURS, journey: DEFAULT_JOURNEY_SETTINGS },
    version: settings.version,
    ...(settings.updatedAt ? { updatedAt: settings.updatedAt } : {}),
  };
}

/** `GET /v1/merchant/settings` (merchant-admin, marketing-analyst). */
export async function getMerchantSettings(
  deps: MerchantSettingsDeps,
  principal: MerchantPrincipal,
) {
  requireRole(principal, CATALOG_READ_ROLES);
  return settingsView(await deps.settings.get(principal.merchantId));
}

/**
 * `PUT /v1/merchant/settings` (merchant-admin): replaces the settings at the version `ifMatch`
 * names (or the one just read); 409 naming `version` when it moved on.
 */
export async function putMerchantSettings(
  deps: MerchantSettingsDeps,
  principal: MerchantPrincipal,
  input: MerchantSettingsInput,
  ifMatch?: number,
) {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const current = await deps.settings.get(principal.merchantId);
  if (ifMatch !== undefined && ifMatch !== current.version) {
    throw new ConflictError(`The settings are at version ${current.version}, not ${ifMatch}.`, {
      issues: [{ path: "version", reason: `is ${current.version}; If-Match named ${ifMatch}` }],
    });
  }
  const next: MerchantSettings = {
    merchantId: principal.merchantId,
    quietHours: input.quietHours,
    ...(input.journey ? { journey: input.journey } : {}),
    version: current.version + 1,
    updatedAt: new Date(deps.clock.now()).toISOString(),
  };
  await deps.settings.put(next, current.version);
  return settingsView(next);
}
