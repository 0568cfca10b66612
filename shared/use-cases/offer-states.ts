import { type Offer, offerView } from "../domain/catalog/offer.ts";
import { type OfferState, offerState } from "../domain/catalog/offer-state.ts";
import type { Clock } from "../ports.ts";
import type { OfferStateReader } from "./ports/offer-state-reader.ts";

export interface OfferStateDeps {
  /** Absent in deployments or tests without it: budget use then reads as 0, zones as UTC. */
  offerStates?: OfferStateReader | undefined;
  clock: Clock;
}

/** An offer as the API returns it, with its derived `state` and budget use. */
export type OfferWithState = ReturnType<typeof offerView> & {
  state: OfferState;
  sentCount: number;
};

/**
 * Adds the derived state (see domain/catalog/offer-state.ts) to offers of one merchant: one
 * batched read of budget counters and one of their stores' zones, evaluated at the injected
 * clock's now.
 */
export async function withStates(
  deps: OfferStateDeps,
  merchantId: string,
  offers: readonly Offer[],
): Promise<OfferWithState[]> {
  if (offers.length === 0) return [];
  const now = deps.clock.now();
  const reader = deps.offerStates;
  const [sent, zones] = reader
    ? await Promise.all([
        reader.sentCounts(offers.map((o) => o.offerId)),
        reader.storeTimeZones(
          merchantId,
          offers.flatMap((o) => o.storeIds),
        ),
      ])
    : [new Map<string, number>(), new Map<string, string>()];
  return offers.map((offer) => {
    const sentCount = sent.get(offer.offerId) ?? 0;
    const tzs = offer.storeIds.flatMap((id) => {
      const tz = zones.get(id);
      return tz ? [tz] : [];
    });
    return {
      ...offerView(offer),
      state: offerState(offer, tzs, now, sentCount),
      sentCount,
    };
  });
}
