import type { MerchantSettings } from "../domain/catalog/quiet-hours.ts";
import {
  effectiveJourneySettings,
  journeyStage,
  type TargetStage,
} from "../domain/journey/index.ts";
import type { JourneyStore } from "./ports/journey-store.ts";
import type { MerchantSettingsStore } from "./ports/merchant-settings-store.ts";

/** What reading journey stages needs; absent `journeys` = no history is kept. */
export interface JourneyStageDeps {
  journeys?: Pick<JourneyStore, "load"> | undefined;
  settings?: Pick<MerchantSettingsStore, "get"> | undefined;
}

/**
 * The device's journey stage at each of `merchantIds` at `now` (epoch ms): computed from its
 * stored visit history and the merchant's journey settings (defaults when it set none), never
 * from anything the device says. One history read per merchant, and a settings read unless
 * `known` already holds the merchant's settings. Without `deps.journeys` the map is empty, so
 * offers that target stages are not eligible anywhere (decision, claims, nearby offers alike).
 *
 * @returns merchant id → stage; merchants without a `journeys` port are absent.
 */
export async function journeyStagesOf(
  deps: JourneyStageDeps,
  deviceId: string,
  merchantIds: Iterable<string>,
  now: number,
  known?: ReadonlyMap<string, MerchantSettings | undefined>,
): Promise<Map<string, TargetStage>> {
  const stages = new Map<string, TargetStage>();
  const journeys = deps.journeys;
  if (!journeys) return stages;
  await Promise.all(
    [...new Set(merchantIds)].map(async (merchantId) => {
      const [{ history }, settings] = await Promise.all([
        journeys.load(deviceId, merchantId),
        known?.get(merchantId) ?? deps.settings?.get(merchantId),
      ]);
      stages.set(
        merchantId,
        journeyStage(history, effectiveJourneySettings(settings?.journey), now),
      );
    }),
  );
  return stages;
}
