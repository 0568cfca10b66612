/**
 * Offer reads: one offer, and the merchant's offers a page at a time, each with its derived
 * state. Apart from offers.ts (writes) so that the read functions bundle no zone covers.
 */
import { CATALOG_READ_ROLES, type MerchantPrincipal, requireRole } from "../../auth/principal.ts";
import { catalogKeys, type ListQuery, type Offer } from "../../domain/catalog/index.ts";
import type { OfferState } from "../../domain/catalog/offer-state.ts";
import { withStates } from "../offer-states.ts";
import type { CatalogReadDeps } from "./deps.ts";
import { listPage, OFFERS_SCOPE } from "./listing.ts";
import { currentOffer } from "./offer-lookup.ts";
import { offerStateView } from "./offer-view.ts";

/** One of the caller's offers (404 for anyone else's). */
export async function getOffer(
  deps: CatalogReadDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
) {
  requireRole(principal, CATALOG_READ_ROLES);
  return offerStateView(deps, await currentOffer(deps, principal, offerId));
}

/**
 * A page of the caller's offers, each with its derived `state`, and an opaque cursor for the
 * next one. With `state` only offers in one of those states are returned: the filter applies
 * to each page as read, so a page may hold fewer than `limit` items (even none) while
 * `nextCursor` says more may follow.
 */
export async function listOffers(
  deps: CatalogReadDeps,
  principal: MerchantPrincipal,
  query: ListQuery & { state?: readonly OfferState[] | undefined },
) {
  const page = await listPage(deps, principal, query, {
    scope: OFFERS_SCOPE,
    prefix: catalogKeys.offerPrefix,
    load: (m, limit, start) => deps.catalog.listOffers(m, limit, start),
    view: (offer: Offer) => offer,
  });
  const items = await withStates(deps, principal.merchantId, page.items);
  const wanted = query.state && query.state.length > 0 ? new Set(query.state) : undefined;
  return {
    items: wanted ? items.filter((o) => wanted.has(o.state)) : items,
    nextCursor: page.nextCursor,
  };
}
