import type { DecisionOffer } from "../decision/offer-rules.ts";
import type { Offer } from "./offer.ts";

/**
 * The slice of an offer the incentive decision reads for one of its stores (the ping path
 * reads offers by id and hands this to `decide`).
 */
export function toDecisionOffer(offer: Offer, storeId: string): DecisionOffer {
  return {
    offerId: offer.offerId,
    merchantId: offer.merchantId,
    storeId,
    status: offer.status,
    validFrom: offer.validFrom,
    validTo: offer.validTo,
    ...(offer.schedule ? { schedule: offer.schedule } : {}),
    caps: offer.caps,
    budget: offer.budget ?? {},
    ...(offer.segments ? { segments: offer.segments } : {}),
    ...(offer.audience ? { stages: offer.audience.stages } : {}),
    ...(offer.allowSelfDeclaredSegments ? { allowSelfDeclaredSegments: true } : {}),
    ...(offer.requireAttestation ? { requireAttestation: true } : {}),
    holdoutPercent: offer.holdoutPercent,
    trigger: {
      on: offer.trigger.on,
      ...(offer.trigger.freshnessMinutes !== undefined
        ? { freshnessMinutes: offer.trigger.freshnessMinutes }
        : {}),
    },
    triggerRadiusM: offer.triggerRadiusM,
    priority: offer.priority,
  };
}
