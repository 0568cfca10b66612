import type { Offer } from "../../domain/catalog/index.ts";
import type { OfferWarning } from "../offer-checks.ts";
import { type OfferWithState, withStates } from "../offer-states.ts";
import type { CatalogReadDeps } from "./deps.ts";

/** One offer as the API returns it: the stored view plus its derived state (and warnings). */
export async function offerStateView(
  deps: CatalogReadDeps,
  offer: Offer,
  warnings: readonly OfferWarning[] = [],
): Promise<OfferWithState & { warnings?: OfferWarning[] }> {
  const [view] = await withStates(deps, offer.merchantId, [offer]);
  if (!view) throw new Error("offer state missing");
  return warnings.length > 0 ? { ...view, warnings: [...warnings] } : view;
}
