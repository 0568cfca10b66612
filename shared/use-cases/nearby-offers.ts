import * as z from "zod";
import type { DevicePrincipal } from "../auth/principal.ts";
import { toDecisionOffer } from "../domain/catalog/decision-view.ts";
import { isTargeted } from "../domain/decision/decide.ts";
import { isOfferLive } from "../domain/decision/offer-live.ts";
import { decimalQuery, integerQuery } from "../domain/query-number.ts";
import { nearestStores, storePointCellsNear } from "../domain/store-points.ts";
import { ForbiddenError } from "../errors.ts";
import type { Clock } from "../ports.ts";
import type { AudienceReader } from "./audiences.ts";
import { deviceAudiences } from "./device-audiences.ts";
import { type JourneyStageDeps, journeyStagesOf } from "./journey-stages.ts";
import type { OfferReader } from "./ports/offer-reader.ts";
import type { OfferStateReader } from "./ports/offer-state-reader.ts";
import type { StorePoints } from "./ports/store-points.ts";

export const MAX_NEARBY_RESULTS = 50;

/** `GET /v1/offers/nearby` query. */
export const nearbyQuerySchema = z.strictObject({
  lat: decimalQuery().pipe(z.number().min(-90).max(90)),
  lon: decimalQuery().pipe(z.number().min(-180).max(180)),
  radiusM: decimalQuery()
    .pipe(z.number().min(50, "must be ≥ 50").max(10_000, "must be ≤ 10000"))
    .default(1000),
  limit: integerQuery().pipe(z.number().min(1).max(MAX_NEARBY_RESULTS)).default(MAX_NEARBY_RESULTS),
});
export type NearbyQuery = z.infer<typeof nearbyQuerySchema>;

export interface NearbyOffer {
  offerId: string;
  storeId: string;
  storeName: string;
  title: string;
  body: string;
  deepLink?: string | undefined;
  distanceM: number;
  validTo: string;
}

/**
 * Offers a device could walk to: offers that could fire now — active, inside validity and
 * schedule in the store's zone, budget left, matching segments (the app's trusted ones, or the
 * merchant's audiences of the device's person, as the decision reads them) and, for offers that target
 * journey stages, the device's stage at the merchant (from its stored visit history, as the
 * decision reads it) — of stores within the radius, one entry per offer at its nearest store,
 * nearest first.
 */
export async function nearbyOffers(
  deps: JourneyStageDeps & {
    points: StorePoints;
    offers: OfferReader;
    clock: Clock;
    /** Budget use; absent = budgets are not checked (tests without an incentives table). */
    budgets?: Pick<OfferStateReader, "sentCounts"> | undefined;
    /** Merchant audiences; absent = only the app's trusted segments count. */
    audiences?: AudienceReader | undefined;
  },
  device: DevicePrincipal,
  query: NearbyQuery,
): Promise<NearbyOffer[]> {
  if (!device.consentLocation) {
    throw new ForbiddenError(
      "consent/location: the device has not consented to location processing.",
    );
  }
  const now = deps.clock.now();
  const points = await deps.points.inCells(
    storePointCellsNear(query.lat, query.lon, query.radiusM),
  );
  const near = nearestStores(points, query.lat, query.lon, query.radiusM);
  if (near.length === 0) return [];
  const stores = await deps.offers.stores(
    near.map((p) => ({ merchantId: p.merchantId, storeId: p.storeId })),
  );
  const offers = await deps.offers.offers(
    near.flatMap((p) =>
      (stores.get(p.storeId)?.offerIds ?? []).map((offerId) => ({
        merchantId: p.merchantId,
        offerId,
      })),
    ),
  );
  const budgeted = [...offers.values()].filter((o) => o.budget?.maxIncentives !== undefined);
  const sent =
    deps.budgets && budgeted.length > 0
      ? await deps.budgets.sentCounts(budgeted.map((o) => o.offerId))
      : new Map<string, number>();
  // Merchant audiences: read only when an offer here targets segments.
  const audiences = await deviceAudiences(
    deps.audiences,
    device,
    [...offers.values()].some((o) => (o.segments?.length ?? 0) > 0),
    now,
  );
  // Journey stages: read only for merchants with an offer here that targets stages.
  const stages = await journeyStagesOf(
    deps,
    device.deviceId,
    [...offers.values()].filter((o) => o.audience).map((o) => o.merchantId),
    now,
  );
  const seen = new Set<string>();
  const results: NearbyOffer[] = [];
  for (const point of near) {
    const store = stores.get(point.storeId);
    if (!store) continue;
    for (const offerId of store.offerIds ?? []) {
      const offer = offers.get(offerId);
      if (!offer || seen.has(offerId) || !offer.storeIds.includes(point.storeId)) continue;
      if (!isOfferLive(toDecisionOffer(offer, point.storeId), store.timeZone, now)) continue;
      const max = offer.budget?.maxIncentives;
      if (max !== undefined && (sent.get(offerId) ?? 0) >= max) continue;
      if (!isTargeted(offer, device, audiences?.get(offer.merchantId))) continue;
      const stage = stages.get(offer.merchantId);
      if (offer.audience && (stage === undefined || !offer.audience.stages.includes(stage))) {
        continue;
      }
      seen.add(offerId);
      results.push({
        offerId,
        storeId: point.storeId,
        storeName: store.name,
        title: offer.message.title,
        body: offer.message.body,
        ...(offer.message.deepLink ? { deepLink: offer.message.deepLink } : {}),
        distanceM: Math.round(point.distanceM),
        validTo: offer.validTo,
      });
      if (results.length >= query.limit) return results;
    }
  }
  return results;
}
